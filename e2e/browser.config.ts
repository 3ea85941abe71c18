import { defineConfig } from '@playwright/test';
import { execSync } from 'node:child_process';

function chromiumPath() {
  return (
    process.env.CHROMIUM_PATH ??
    execSync('command -v chromium', { shell: '/bin/sh' }).toString().trim()
  );
}

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
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
