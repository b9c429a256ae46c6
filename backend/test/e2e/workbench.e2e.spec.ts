import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newConsolePage, SCREENSHOTS } from '../support/console-browser';
import { startStack, type Stack } from '../support/stack';

/**
 * The reviewer workbench (frontend/dist/browser, served by the api) in
 * headless Chromium against real api and worker processes: claim with N,
 * watch the watermarked render, reveal it, decide with A and a reason.
 */
const LEASE_SECONDS = 6;

describe('reviewer workbench in a browser against the real stack', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let reviewer: { id: string; email: string; token: string };
  const clipIds: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ workers: 1, env: { REVIEW_LEASE_SECONDS: String(LEASE_SECONDS) } });
    admin = await stack.login();
    const creator = await stack.userWithRoles(['creator'], admin);
    reviewer = await stack.userWithRoles(['reviewer'], admin);
    for (const prompt of ['a kite over a windy beach at noon', 'a tram crossing a bridge at dusk']) {
      clipIds.push((await stack.call('/api/v1/clips', { token: creator.token, body: { prompt } })).body.id);
    }
    await Promise.all(clipIds.map((id) => stack.waitForState(id, admin, ['AWAITING_REVIEW'], 240_000)));
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  beforeEach(async () => {
    page = await newConsolePage(browser);
  });
  afterEach(() => page?.close());

  async function withScreenshot(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      const shot = join('/tmp', `workbench-e2e-${name}-${Date.now()}.png`);
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

  const queue = () => stack.call('/api/v1/review/queue', { token: reviewer.token }).then((r) => r.body as { clipId: string; claim: { reviewerId: string; leaseExpiresAt: string } | null }[]);
  const video = () => page.locator('[data-testid="review-video"]');

  it('a reviewer claims with N, watches and seeks the render, reveals it and approves with A and a reason', () =>
    withScreenshot('approve', async () => {
      await signIn(reviewer.email, 'password-for-tests');
      await page.waitForURL(/\/review$/);
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Review queue', 'Clips', 'Likeness registry', 'My likeness']);
      for (const id of clipIds) await page.locator(`[data-testid="queue-row"][data-clip-id="${id}"]`).waitFor();
      await expect(page.locator(`[data-testid="queue-row"][data-clip-id="${clipIds[0]}"] [data-testid="queue-due"]`).textContent()).resolves.toMatch(/^(due in|overdue by) /);

      await page.keyboard.press('n');
      const workbench = page.getByTestId('workbench');
      await workbench.waitFor();
      const clipId = (await workbench.getAttribute('data-clip-id'))!;
      expect(clipIds).toContain(clipId);
      await expect(page.getByTestId('lease').textContent()).resolves.toMatch(/Your claim: \d+ s left/);

      // The <video> plays the render from a blob: URL (fetched with the token) and can seek.
      await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="review-video"]')?.readyState ?? 0) >= 3, undefined, { timeout: 30_000 });
      expect(await video().evaluate((v: HTMLVideoElement) => [v.src.startsWith('blob:'), v.muted, v.duration > 1])).toEqual([true, true, true]);
      await video().evaluate(
        (v: HTMLVideoElement) =>
          new Promise<void>((done) => {
            v.addEventListener('seeked', () => done(), { once: true });
            v.currentTime = 1.5;
          }),
      );
      await page.keyboard.press('.');
      await page.waitForFunction(() => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="review-video"]')!;
        return !v.seeking && v.currentTime > 1.5 && v.currentTime < 1.6 && v.readyState >= 2;
      });

      // Blurred and greyscale until revealed.
      const filter = () => video().evaluate((v: HTMLVideoElement) => getComputedStyle(v).filter);
      await expect(page.getByTestId('player').getAttribute('data-revealed')).resolves.toBe('false');
      expect(await filter()).toContain('blur');
      await page.keyboard.press('b');
      // The attribute follows the key on the next render; on a loaded machine that is not at once.
      await page.waitForSelector('[data-testid="player"][data-revealed="true"]', { timeout: 10_000 });
      expect(await filter()).toBe('none');
      await expect(page.getByTestId('four-eyes').textContent()).resolves.toBe('One approval releases this clip.');

      await page.keyboard.press('a');
      // The reasons render after the decision is picked; on a loaded machine that takes a moment.
      const reason = page.getByRole('radio', { name: /meets the content policy/ });
      await reason.waitFor({ state: 'visible' });
      await page.keyboard.press('1');
      for (const until = Date.now() + 10_000; !(await reason.isChecked()) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
      await expect(reason.isChecked()).resolves.toBe(true);
      await page.getByRole('textbox', { name: /Note/ }).fill('watched in full; nothing of concern');
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'review-workbench.png'), fullPage: true });
      await page.getByRole('button', { name: 'Submit decision' }).click();

      await page.getByTestId('decision-outcome').waitFor();
      await page.locator(`[data-testid="queue-row"][data-clip-id="${clipId}"]`).waitFor({ state: 'detached' });
      expect((await queue()).map((i) => i.clipId)).not.toContain(clipId);
      const clip = (await stack.call(`/api/v1/clips/${clipId}`, { token: admin })).body;
      expect(['APPROVED', 'SIGNING', 'RELEASED']).toContain(clip.state);
      expect(clip.review.decisions).toEqual([expect.objectContaining({ decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT', reviewerId: reviewer.id })]);
      const viewed = await stack.db((db) => db.query(`SELECT actor FROM audit_events WHERE action = 'clip.media_viewed' AND subject_id = $1`, [clipId]).then((r) => r.rows));
      expect(viewed).toEqual([{ actor: `user:${reviewer.id}` }]);
      expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
    }),
    120_000,
  );

  it('keeps the claim alive with heartbeats while the page is open, and gives it back when the page closes', () =>
    withScreenshot('lease', async () => {
      await signIn(reviewer.email, 'password-for-tests');
      await page.waitForURL(/\/review$/);
      await page.getByRole('button', { name: 'Claim next' }).click();
      const clipId = (await page.getByTestId('workbench').getAttribute('data-clip-id'))!;
      // Only this test's own give-back counts (an earlier test may have given this clip back before).
      const returnedBefore = await stack.db((db) => db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'review.claim_returned' AND subject_id = $1`, [clipId]).then((r) => r.rows[0].n as number));
      // Twice the lease: only heartbeats keep it.
      await new Promise((r) => setTimeout(r, 2 * LEASE_SECONDS * 1000));
      const held = (await queue()).find((i) => i.clipId === clipId)!;
      expect(held.claim?.reviewerId).toBe(reviewer.id);
      expect(Date.parse(held.claim!.leaseExpiresAt)).toBeGreaterThan(Date.now());

      await page.close({ runBeforeUnload: true });
      await stack.waitFor(async () => (await queue()).find((i) => i.clipId === clipId)?.claim === null, 5_000, 'the claim to be given back');
      const returned = await stack.db((db) => db.query(`SELECT actor FROM audit_events WHERE action = 'review.claim_returned' AND subject_id = $1 ORDER BY id`, [clipId]).then((r) => r.rows));
      expect(returned.slice(returnedBefore)).toEqual([{ actor: `user:${reviewer.id}` }]);
    }),
    60_000,
  );

  it('lands a role without a work page on a page that says so, with navigation only to its own likeness', () =>
    withScreenshot('publisher', async () => {
      const publisher = await stack.userWithRoles(['publisher'], admin);
      await signIn(publisher.email, 'password-for-tests');
      await page.waitForURL(/\/welcome$/);
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['My likeness']);
      await page.goto(`${stack.baseUrl}/review`);
      await page.waitForURL(/\/welcome$/);
      await page.getByTestId('welcome').waitFor();
    }),
    60_000,
  );
});
