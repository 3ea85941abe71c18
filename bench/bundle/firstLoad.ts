/**
 * First-load weight of a running app in Chromium: the bytes a browser with an
 * empty cache transfers (encoded body sizes of every response, so gzip as the
 * backend's compression sends it) until the network is idle, for the sign-in
 * page and for the catalog page of a signed-in user. Used by measure.ts on
 * the production bundle the backend's app plugin serves.
 */
import { Browser, BrowserContext, Page, chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '@internal/test-harness';

/** No request in flight for this long counts as network idle. */
const QUIET_MS = 1_500;
const LOAD_TIMEOUT_MS = 120_000;

export interface PageWeight {
  bytes: number;
  requests: number;
  /** Encoded bytes of each response by path, largest first, to see what to trim. */
  responses: Array<[string, number]>;
}

export interface FirstLoad {
  signInPage: PageWeight;
  catalogPage: PageWeight;
}

export interface FirstLoadTarget {
  baseUrl: string;
  /** The catalog page's path: /catalog, or / where the catalog is home. */
  catalogPath: string;
  /** Signs in on a page showing the sign-in page, as a person would. */
  signIn(page: Page): Promise<void>;
}

/** Debian's Chromium, launched as every Playwright suite here launches it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

/**
 * Loads `url` in `context` and adds up the encoded body size of every
 * response of that page until no request has been in flight for QUIET_MS
 * after `ready` resolved.
 */
async function weigh(
  context: BrowserContext,
  url: string,
  ready: (page: Page) => Promise<void>,
): Promise<{ page: Page; weight: PageWeight }> {
  const page = await context.newPage();
  const sizes: Array<Promise<[string, number]>> = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  const settle = () => {
    inFlight--;
    lastActivity = Date.now();
  };
  page.on('request', () => {
    inFlight++;
    lastActivity = Date.now();
  });
  page.on('requestfailed', settle);
  page.on('requestfinished', request => {
    settle();
    sizes.push(
      request
        .sizes()
        .then(s => [new URL(request.url()).pathname, s.responseBodySize]),
    );
  });
  await page.goto(url, { timeout: LOAD_TIMEOUT_MS });
  await ready(page);
  const deadline = Date.now() + LOAD_TIMEOUT_MS;
  while (inFlight > 0 || Date.now() - lastActivity < QUIET_MS) {
    if (Date.now() > deadline) {
      throw new Error(`${url}: network not idle after ${LOAD_TIMEOUT_MS} ms`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  const all = await Promise.all(sizes);
  return {
    page,
    weight: {
      bytes: all.reduce((sum, [, n]) => sum + n, 0),
      requests: all.length,
      responses: all.sort((a, b) => b[1] - a[1]),
    },
  };
}

/**
 * The sign-in page in a fresh browser, then, after signing in there, the
 * catalog page loaded anew in a second fresh browser context that carries
 * only the session (cookies and local storage), so its cache is empty too.
 */
export async function measureFirstLoad(
  browser: Browser,
  target: FirstLoadTarget,
): Promise<FirstLoad> {
  const first = await browser.newContext();
  try {
    const signInShown = (page: Page) =>
      page
        .getByRole('button', { name: /^(Sign In|Enter)$/ })
        .first()
        .waitFor({ timeout: LOAD_TIMEOUT_MS });
    const { page, weight: signInPage } = await weigh(
      first,
      `${target.baseUrl}/`,
      signInShown,
    );
    await target.signIn(page);
    await page
      .getByRole('link', { name: 'Catalog' })
      .first()
      .waitFor({ timeout: LOAD_TIMEOUT_MS });
    const second = await browser.newContext({
      storageState: await first.storageState(),
    });
    try {
      const { weight: catalogPage } = await weigh(
        second,
        `${target.baseUrl}${target.catalogPath}`,
        // The catalog table has rows once the entities arrived.
        p =>
          p
            .locator('table tbody tr a')
            .first()
            .waitFor({ timeout: LOAD_TIMEOUT_MS }),
      );
      return { signInPage, catalogPage };
    } finally {
      await second.close();
    }
  } finally {
    await first.close();
  }
}
