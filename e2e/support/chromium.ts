import { execSync } from 'node:child_process';

/**
 * Debian's Chromium, which every Playwright suite here drives: Playwright's
 * own browser download is out of reach, and the sandbox needs privileges
 * test machines do not have.
 */
export const chromiumLaunchOptions = {
  executablePath:
    process.env.CHROMIUM_PATH ??
    execSync('command -v chromium', { shell: '/bin/sh' }).toString().trim(),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
