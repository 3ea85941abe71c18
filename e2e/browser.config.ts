import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '@internal/test-harness';

/** The portal in Debian's Chromium, started with the README's start command. */
export default defineConfig({
  testDir: 'browser',
  globalSetup: './browser/globalSetup.ts',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: '../.scratch/browser-results',
  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
});
