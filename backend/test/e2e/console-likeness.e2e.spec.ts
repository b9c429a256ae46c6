import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LikenessSubjectDto } from '@provenant/shared';
import type { Browser, Page } from 'playwright-core';
import { ensureFaceMedia, FACELESS, IDENTITIES } from '../../bench/corpora/face-corpus';
import { launchChromium, newConsolePage, SCREENSHOTS } from '../support/console-browser';
import { startStack, type Stack } from '../support/stack';

/**
 * The console's likeness pages (frontend/dist/browser, served by the api) in
 * headless Chromium against real api and worker processes and the real face
 * model: compliance keeps the registry, a publisher enrols their own likeness
 * with a face photo, grants a creator, sees their name found in the creator's
 * prompt, revokes the grant and erases the enrolment; a photo without a face
 * is refused with the server's own message; a reviewer only reads the registry.
 */
// The api loads the face model on the first enrolment: on a loaded machine that takes a while.
const FACE_TIMEOUT = 120_000;

interface User {
  id: string;
  email: string;
  token: string;
}

describe('likeness pages of the console in a browser against the real stack', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let compliance: User;
  let publisher: User;
  let creator: User;
  let reviewer: User;
  let faces: string;
  const photo = (id: string) => join(faces, IDENTITIES.find((i) => i.id === id)!.file);
  const faceless = (id: string) => join(faces, FACELESS.find((i) => i.id === id)!.file);

  beforeAll(async () => {
    faces = ensureFaceMedia();
    stack = await startStack({ workers: 1 });
    admin = await stack.login();
    compliance = await stack.userWithRoles(['compliance'], admin);
    publisher = await stack.userWithRoles(['publisher'], admin);
    creator = await stack.userWithRoles(['creator'], admin);
    reviewer = await stack.userWithRoles(['reviewer'], admin);
    browser = await launchChromium();
  }, 180_000);

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
      expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
    } catch (error) {
      const shot = join('/tmp', `console-likeness-e2e-${name}-${Date.now()}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
      if (error instanceof Error) error.message += `\nscreenshot: ${shot}\n--- process logs ---\n${stack.logs(40)}`;
      throw error;
    }
  }

  async function signIn(email: string, password = 'password-for-tests'): Promise<void> {
    await page.goto(stack.baseUrl);
    await page.waitForURL(/\/login(\?|$)/);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('logout').waitFor();
  }

  const navLinks = () => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
  const subjects = () => stack.call<LikenessSubjectDto[]>('/api/v1/likeness/subjects', { token: admin }).then((r) => r.body);
  const rowOf = (name: string) => page.locator('[data-testid="subject-row"]', { has: page.locator('[data-testid="subject-display-name"]', { hasText: name }) });

  it('compliance enters a protected subject with an alias, adds its face photo, and erases another after confirming', () =>
    withScreenshot('registry', async () => {
      await signIn(compliance.email);
      expect(await navLinks()).toEqual(['Clips', 'Likeness registry', 'My likeness']);
      await page.getByTestId('nav-likeness').click();
      await page.waitForURL(/\/likeness$/);
      await page.getByTestId('no-subjects').waitFor();

      const form = page.locator('[data-testid="subject-form"][data-kind="protected"]');
      await form.getByLabel('Display name').fill('Ada Quinlan');
      await form.getByLabel(/^Aliases/).fill('A. Quinlan, Lady Quinlan');
      await form.getByTestId('subject-submit').click();
      const ada = rowOf('Ada Quinlan');
      await ada.waitFor();
      await expect(page.getByTestId('registry-notice').textContent()).resolves.toBe('Ada Quinlan entered as a protected subject.');
      await expect(ada.getAttribute('data-kind')).resolves.toBe('protected');
      await expect(ada.getByTestId('subject-aliases').textContent()).resolves.toBe('A. Quinlan, Lady Quinlan');
      const [stored] = await subjects();
      expect(stored).toMatchObject({ kind: 'protected', displayName: 'Ada Quinlan', aliases: ['A. Quinlan', 'Lady Quinlan'], distinctive: false, userId: null, faceTemplates: 0 });

      // A one-word name without "distinctive" is refused by the server, whose message names the field.
      await form.getByLabel('Display name').fill('Quinlan');
      await form.getByLabel(/^Aliases/).fill('');
      await form.getByTestId('subject-submit').click();
      await expect(form.getByTestId('subject-error').textContent()).resolves.toMatch(/^displayName: a one-word name is matched on its own only with "distinctive": true/);

      // A face photo for the protected subject, from the file input of its row.
      await ada.getByTestId('face-file').setInputFiles(photo('collins'));
      await ada.getByTestId('face-submit').click();
      await ada.locator('[data-testid="subject-templates"][data-count="1"]').waitFor({ timeout: FACE_TIMEOUT });
      await expect(ada.getByTestId('subject-templates').textContent()).resolves.toBe('1 face template');

      // Erasing asks first; cancelling keeps the subject.
      await form.getByLabel('Display name').fill('Zed Quill');
      await form.getByTestId('subject-submit').click();
      const zed = rowOf('Zed Quill');
      await zed.waitFor();
      await zed.getByTestId('erase').click();
      await expect(zed.getByTestId('erase-confirm').textContent()).resolves.toContain('Erase Zed Quill? Its names, no face template and every grant are deleted');
      await zed.getByTestId('erase-cancel').click();
      await zed.getByTestId('erase').click();
      await zed.getByTestId('erase-yes').click();
      await zed.waitFor({ state: 'detached' });
      expect((await subjects()).map((s) => s.displayName)).toEqual(['Ada Quinlan']);
    }),
    FACE_TIMEOUT + 60_000,
  );

  it('a publisher enrols, adds a face photo, is told why a photo without a face is refused, grants a creator, is found in their prompt, and revokes', () =>
    withScreenshot('my-likeness', async () => {
      await signIn(publisher.email);
      expect(await navLinks()).toEqual(['My likeness']);
      // The registry is staff's: the guard sends a publisher to their landing page.
      await page.goto(`${stack.baseUrl}/likeness`);
      await page.waitForURL(/\/welcome$/);
      await page.getByTestId('nav-my-likeness').click();
      await page.waitForURL(/\/likeness\/me$/);

      const enrol = page.getByTestId('enrol');
      await enrol.getByLabel('Display name').fill('Grace Hopper');
      await enrol.getByLabel(/^Aliases/).fill('Amazing Grace');
      await enrol.getByTestId('subject-submit').click();
      const enrolment = page.getByTestId('my-enrolment');
      await enrolment.waitFor();
      await expect(page.getByTestId('my-display-name').textContent()).resolves.toBe('Grace Hopper');
      await expect(page.getByTestId('my-templates').textContent()).resolves.toBe('0');
      const subjectId = (await enrolment.getAttribute('data-subject-id'))!;

      await enrolment.getByTestId('face-file').setInputFiles(photo('hopper'));
      await enrolment.getByTestId('face-submit').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="my-templates"]')?.textContent === '1', undefined, { timeout: FACE_TIMEOUT });
      await expect(enrolment.getByTestId('face-done').textContent()).resolves.toMatch(/^Face added: 1 face template now/);

      // A cat: the server's message, as it gave it, and nothing stored.
      const cat = faceless('chelsea-cat');
      await enrolment.getByTestId('face-file').setInputFiles(cat);
      await enrolment.getByTestId('face-submit').click();
      const shown = await enrolment.getByTestId('face-error').textContent({ timeout: FACE_TIMEOUT });
      const form = new FormData();
      form.append('file', new Blob([await readFile(cat)], { type: 'image/png' }), 'chelsea.png');
      const refused = await stack.call<{ message: string }>(`/api/v1/likeness/subjects/${subjectId}/images`, { token: publisher.token, body: form });
      expect(refused.status).toBe(400);
      expect(shown).toBe(refused.body.message);
      expect(shown).toMatch(/^file: no face found/);
      await expect(page.getByTestId('my-templates').textContent()).resolves.toBe('1');

      // A grant to the creator, by user id, until a day next year.
      await page.getByTestId('no-grants').waitFor();
      await page.getByLabel('Creator’s user id').fill(creator.id);
      const nextYear = `${new Date().getFullYear() + 1}-06-30`;
      await page.getByLabel(/^Until/).fill(nextYear);
      await page.getByTestId('grant-submit').click();
      const grant = page.locator('[data-testid="my-grant"][data-state="active"]');
      await grant.waitFor();
      await expect(grant.getByTestId('my-grant-status').textContent()).resolves.toMatch(new RegExp(`^active until ${nextYear}|^active until ${new Date().getFullYear() + 1}-0[67]-`));
      await expect(grant.locator('td').first().textContent()).resolves.toBe(`creator ${creator.id}`);

      // The creator names her in a prompt: allowed by the grant, and it shows in her feed (a publisher reads no clips: no link).
      const clip = await stack.call<{ id: string }>('/api/v1/clips', { token: creator.token, body: { prompt: 'Grace Hopper explaining a compiler at a blackboard' } });
      expect(clip.status).toBe(202);
      await stack.waitForState(clip.body.id, admin, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 240_000);
      await page.reload();
      const appearance = page.locator(`[data-testid="appearance"][data-clip-id="${clip.body.id}"]`);
      await appearance.waitFor();
      await expect(appearance.getAttribute('data-outcome')).resolves.toBe('allow');
      expect((await appearance.locator('td').allTextContents()).map((t) => t.trim()).slice(2, 4)).toEqual(['your name, in the prompt', 'allowed: you allowed this creator']);
      expect(await appearance.getByRole('link').count()).toBe(0);

      await page.locator('[data-testid="my-grant"][data-state="active"]').getByTestId('revoke-grant').click();
      const revoked = page.locator('[data-testid="my-grant"][data-state="revoked"]');
      await revoked.waitFor();
      await expect(revoked.getByTestId('my-grant-status').textContent()).resolves.toMatch(/^revoked \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
      expect(await page.getByTestId('revoke-grant').count()).toBe(0);
      const mine = (await stack.call<LikenessSubjectDto>('/api/v1/likeness/me', { token: publisher.token })).body;
      expect(mine).toMatchObject({ kind: 'consenting', displayName: 'Grace Hopper', aliases: ['Amazing Grace'], userId: publisher.id, faceTemplates: 1 });
      expect(mine.grants).toEqual([expect.objectContaining({ creatorId: creator.id, everyone: false, active: false, revokedAt: expect.any(String) })]);
    }),
    FACE_TIMEOUT + 300_000,
  );

  it('the registry shows both kinds with faces and grants; a reviewer reads it and has no form, upload or erase', () =>
    withScreenshot('registry-read', async () => {
      await signIn(compliance.email);
      await page.goto(`${stack.baseUrl}/likeness`);
      const grace = rowOf('Grace Hopper');
      await grace.waitFor();
      await expect(grace.getAttribute('data-kind')).resolves.toBe('consenting');
      await expect(grace.getByTestId('subject-templates').textContent()).resolves.toBe('1 face template');
      await expect(grace.getByTestId('subject-grant').getAttribute('data-state')).resolves.toBe('revoked');
      // A consenting person adds their own photos; staff may only erase the enrolment.
      expect(await grace.getByTestId('face-upload').count()).toBe(0);
      expect(await grace.getByTestId('erase').count()).toBe(1);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'likeness-registry.png'), fullPage: true });

      await page.getByTestId('logout').click();
      await page.waitForURL(/\/login(\?|$)/);
      await signIn(reviewer.email);
      expect(await navLinks()).toEqual(['Review queue', 'Clips', 'Likeness registry', 'My likeness']);
      await page.getByTestId('nav-likeness').click();
      await rowOf('Ada Quinlan').waitFor();
      expect(await page.getByTestId('subject-row').count()).toBe(2);
      expect(await page.getByTestId('subject-form').count()).toBe(0);
      expect(await page.getByTestId('face-upload').count()).toBe(0);
      expect(await page.getByTestId('erase').count()).toBe(0);
    }),
    60_000,
  );

  it('a publisher erases their enrolment after confirming, and may enrol again', () =>
    withScreenshot('erase-mine', async () => {
      await signIn(publisher.email);
      await page.goto(`${stack.baseUrl}/likeness/me`);
      await page.getByTestId('my-enrolment').waitFor();
      await page.getByTestId('erase').click();
      await expect(page.getByTestId('erase-confirm').textContent()).resolves.toContain('Erase your enrolment? 1 face template, your names and 1 grant(s) are deleted.');
      await page.getByTestId('erase-yes').click();
      await page.getByTestId('enrol').waitFor();
      await expect(page.getByTestId('my-likeness-notice').textContent()).resolves.toBe('Your enrolment was erased.');
      expect((await stack.call('/api/v1/likeness/me', { token: publisher.token })).status).toBe(404);
      expect((await subjects()).map((s) => s.displayName)).toEqual(['Ada Quinlan']);
    }),
    60_000,
  );
});
