import { join } from 'node:path';
import type { ClipDto, ClipState } from '@provenant/shared';
import { CHECK_KINDS, CLIP_STATES } from '@provenant/shared';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newConsolePage } from '../support/console-browser';
import { startStack, type Stack } from '../support/stack';

/**
 * The review console (frontend/dist/browser, served by the api at /) driven
 * in headless Chromium against real api and worker processes.
 */
const PIPELINE_STATES: ClipState[] = ['PROMPT_CHECK', 'GENERATING', 'ANALYZING'];
const STOPPED_STATES: ClipState[] = ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'];

/** One displayed state of a clip, in the order the page showed them. */
interface ShownState {
  view: 'clip-row' | 'clip-detail';
  clipId: string;
  state: ClipState;
}

declare global {
  interface Window {
    __shownStates: ShownState[];
    __sameDocument?: boolean;
  }
}

/**
 * Records, in the page itself, every state the list row and the detail view
 * display, so a state shown for only a moment is still seen by the test.
 */
function recordShownStates(): void {
  window.__shownStates = [];
  const lastByView = new Map<string, string>();
  const record = () => {
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-testid="clip-row"],[data-testid="clip-detail"]'))) {
      const view = element.dataset['testid'] as ShownState['view'];
      const clipId = element.dataset['clipId']!;
      const state = element.dataset['state'] as ClipState;
      if (lastByView.get(`${view}:${clipId}`) === state) continue;
      lastByView.set(`${view}:${clipId}`, state);
      window.__shownStates.push({ view, clipId, state });
    }
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
}

/** Records every content-security-policy violation the page causes (the console must need none). */
describe('review console in a browser against the real stack', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const offOrigin: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  beforeEach(async () => {
    page = await newConsolePage(browser);
    await page.addInitScript(recordShownStates);
    page.on('request', (request) => {
      if (!request.url().startsWith(stack.baseUrl) && !request.url().startsWith('data:')) offOrigin.push(request.url());
    });
  });

  afterEach(() => page?.close());

  /** Runs a test body; on failure saves a screenshot and the process logs' tail beside the error. */
  async function withScreenshot(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      const shot = join('/tmp', `console-e2e-${name}-${Date.now()}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      if (error instanceof Error) error.message += `\nscreenshot: ${shot}\n--- process logs ---\n${stack.logs(40)}`;
      throw error;
    }
  }

  async function signIn(email: string, password: string): Promise<void> {
    await page.goto(stack.baseUrl);
    await page.waitForURL(/\/login(\?|$)/);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByTestId('login-submit').click();
  }

  it('shows the server’s own message when sign-in is refused', () =>
    withScreenshot('login-refused', async () => {
      const refused = await stack.call<{ message: string }>('/api/v1/auth/login', {
        body: { email: stack.admin.email, password: 'not-the-password' },
      });
      expect(refused.status).toBe(401);

      await signIn(stack.admin.email, 'not-the-password');

      await expect(page.getByTestId('login-error').textContent()).resolves.toBe(refused.body.message);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    }),
    60_000,
  );

  it('keeps tokens out of the page’s reach (HttpOnly refresh cookie, access token in memory) and survives a reload', () =>
    withScreenshot('session', async () => {
      await signIn(stack.admin.email, stack.admin.password);
      await page.waitForURL(/\/clips$/);
      expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 0]);
      expect(await page.evaluate(() => document.cookie)).not.toContain('provenant_refresh');
      const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'provenant_refresh');
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/v1/auth' });

      // A reload forgets the in-memory access token; the cookie brings the session back.
      await page.reload();
      await page.waitForSelector('[data-testid="logout"]');
      expect(new URL(page.url()).pathname).toBe('/clips');
      const rotated = (await page.context().cookies()).find((c) => c.name === 'provenant_refresh');
      expect(rotated?.value).not.toBe(cookie.value);

      await page.getByTestId('logout').click();
      await page.waitForURL(/\/login(\?|$)/);
      expect((await page.context().cookies()).some((c) => c.name === 'provenant_refresh')).toBe(false);
      // The revoked session cannot be replayed with the old cookie either.
      const replay = await fetch(`${stack.baseUrl}/api/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `provenant_refresh=${rotated!.value}` }, body: '{}' });
      expect(replay.status).toBe(401);
      await page.reload();
      await page.waitForURL(/\/login(\?|$)/);
      expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
    }),
    60_000,
  );

  it('follows a submitted prompt live to AWAITING_REVIEW and says which checks did not run', () =>
    withScreenshot('live-clip', async () => {
      await signIn(stack.admin.email, stack.admin.password);
      await page.waitForURL(/\/clips$/);
      await expect(page.getByTestId('current-user').textContent()).resolves.toBe(stack.admin.email);
      await page.waitForSelector('[data-testid="live-status"][data-status="live"]');
      // Cleared by any full page load: proves the updates below arrive without reloading.
      await page.evaluate(() => (window.__sameDocument = true));

      await page.getByLabel('Prompt', { exact: true }).fill('A lighthouse on a cliff at dawn, waves below');
      await page.getByTestId('submit-prompt').click();
      const clipId = (await page.getByTestId('submit-result').getAttribute('data-clip-id'))!;
      expect(clipId).toBeTruthy();
      const row = page.locator(`[data-testid="clip-row"][data-clip-id="${clipId}"]`);
      await row.waitFor();

      // The row moves through the pipeline by itself; once it has shown a pipeline state, open the clip.
      const shown = (view: ShownState['view']) =>
        page.evaluate(
          ({ id, v }) => window.__shownStates.filter((s) => s.clipId === id && s.view === v).map((s) => s.state),
          { id: clipId, v: view },
        );
      await page.waitForFunction(
        ({ id, states }) => window.__shownStates.some((s) => s.clipId === id && s.view === 'clip-row' && states.includes(s.state)),
        { id: clipId, states: [...PIPELINE_STATES, ...STOPPED_STATES] },
        { timeout: 60_000, polling: 100 },
      );
      const rowStates = await shown('clip-row');
      expect(rowStates.some((state) => PIPELINE_STATES.includes(state))).toBe(true);

      await row.getByTestId('clip-link').click();
      await page.waitForURL(new RegExp(`/clips/${clipId}$`));
      const detail = page.getByTestId('clip-detail');
      await page.waitForFunction(
        (states: string[]) => states.includes(document.querySelector<HTMLElement>('[data-testid="clip-detail"]')?.dataset['state'] ?? ''),
        STOPPED_STATES,
        { timeout: 90_000, polling: 100 },
      );
      await expect(detail.getAttribute('data-state')).resolves.toBe('AWAITING_REVIEW');
      expect(await page.evaluate(() => window.__sameDocument)).toBe(true);

      const shownByView = [await shown('clip-row'), await shown('clip-detail')];
      // Live, not just loaded: a view displayed a pipeline state and then, on the same page, a later one.
      expect(shownByView.some((states) => states.slice(0, -1).some((state) => PIPELINE_STATES.includes(state)))).toBe(true);
      // Whatever was displayed only ever moved forward through the lifecycle.
      for (const states of shownByView) {
        const order = states.map((state) => CLIP_STATES.indexOf(state));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }

      // The page agrees with the API about every check, and says plainly which did not run.
      const clip = (await stack.call<ClipDto>(`/api/v1/clips/${clipId}`, { token: await stack.login() })).body;
      await page.waitForSelector(`[data-testid="transition"][data-to="AWAITING_REVIEW"]`);
      expect(await page.getByTestId('transition').count()).toBe(clip.transitions.length);
      const notRunSummary = (await page.getByTestId('checks-not-run').textContent())!;
      for (const kind of CHECK_KINDS) {
        const expected = clip.checks[kind];
        const shownCheck = page.locator(`[data-testid="check"][data-check="${kind}"]`);
        await expect(shownCheck.getAttribute('data-status')).resolves.toBe(expected.status);
        const text = (await shownCheck.textContent())!;
        if (expected.status === 'ran') {
          expect(notRunSummary).not.toContain(kind);
          continue;
        }
        expect(text).not.toMatch(/: ran\b/);
        expect(notRunSummary).toContain(kind);
        if (expected.status === 'not_available') expect(text).toContain(`${kind}: not available in this build — did not run`);
        if (expected.note) expect(text).toContain(expected.note);
      }

      // Back on the list (client-side navigation), the row shows where the clip stopped.
      await page.getByTestId('nav-clips').click();
      await page.waitForSelector(`[data-testid="clip-row"][data-clip-id="${clipId}"][data-state="AWAITING_REVIEW"]`);
      expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
      expect(offOrigin).toEqual([]);
      expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
    }),
    120_000,
  );
});
