import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** The built console, which the api serves at `/`. */
export const CONSOLE_INDEX = resolve(__dirname, '../../../frontend/dist/browser/index.html');

/** The README's screenshots are refreshed only when asked (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean. */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? resolve(__dirname, '../../../docs/screenshots') : join(tmpdir(), 'provenant-screenshots');

// Debian's Chromium, headless, with nothing that reaches for the closed network.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Launches Debian's Chromium (CHROMIUM_PATH overrides), after checking that the console was built. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CONSOLE_INDEX)) throw new Error(`review console is not built (${CONSOLE_INDEX} missing): run \`npx nx run frontend:build\``);
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

declare global {
  interface Window {
    __cspViolations: string[];
  }
}

/** An init script: every Content-Security-Policy violation of the page, for the test to assert there were none. */
export function recordCspViolations(): void {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
}

/** A desktop-sized page with a 20 s default timeout that records CSP violations (`window.__cspViolations`). */
export async function newConsolePage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  await page.addInitScript(recordCspViolations);
  return page;
}
