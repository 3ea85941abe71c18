import { defineConfig } from '@playwright/test';

/** The real backend against a throwaway PostgreSQL 15 cluster and SQLite. */
export default defineConfig({
  testDir: 'integration',
  timeout: 300_000,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: '../.scratch/integration-results',
});
