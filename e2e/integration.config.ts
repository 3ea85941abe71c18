import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '@internal/test-harness';

/** The real backend against a throwaway PostgreSQL 15 cluster and SQLite. */
export default defineConfig({
  testDir: 'integration',
  timeout: 300_000,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: '../.scratch/integration-results',
  // The sign-in tests play the app's popup flow in a real browser.
  use: { launchOptions: chromiumLaunchOptions() },
});
