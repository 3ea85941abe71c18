import { execSync } from 'node:child_process';

/**
 * Launch options for Debian's Chromium, which every Playwright suite and
 * benchmark here drives: Playwright's own browser download is out of reach,
 * and the sandbox needs privileges test machines do not have. A function,
 * so that importing the harness never looks for a browser.
 */
export function chromiumLaunchOptions() {
  return {
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
}
