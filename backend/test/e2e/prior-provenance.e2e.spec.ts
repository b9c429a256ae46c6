import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClipDto, PriorProvenanceResult, StageResultDto } from '@provenant/shared';
import { resolveFfmpegBinaries, runProcess } from '../../src/engines/media';
import { makeClip } from '../support/media-corpus';
import { startStack, type Stack } from '../support/stack';

interface User {
  id: string;
  token: string;
}

const ffmpeg = resolveFfmpegBinaries().ffmpeg;
const stageOf = (clip: ClipDto, name: string): StageResultDto | undefined => clip.stages.find((s) => s.stage === name);
const finding = (clip: ClipDto) => stageOf(clip, 'prior_provenance')?.result as PriorProvenanceResult;

/**
 * Provenance laundering: an upload that is already one of our clips (a
 * released, signed file; the same file with its manifest stripped; a copy of
 * a rejected clip) is caught before it is marked as new, through the real
 * api and worker processes and real media.
 */
describe('prior provenance: an upload that is already one of our clips', () => {
  let stack: Stack;
  let dir: string;
  let admin: string;
  let creatorA: User;
  let creatorB: User;
  let reviewer: User;
  const original: Record<'released' | 'rejected', string> = { released: '', rejected: '' };
  const copies: Record<'signed' | 'stripped' | 'rejected' | 'fresh' | 'ownReupload', ClipDto> = {} as never;

  const upload = async (token: string, file: string): Promise<string> => {
    const form = new FormData();
    form.append('generator', 'my-own-model');
    form.append('file', new Blob([await readFile(file)]), 'upload.mp4');
    const res = await stack.call('/api/v1/clips/upload', { token, body: form });
    expect(res.status).toBe(202);
    return res.body.id;
  };
  const decide = async (clipId: string, decision: 'approve' | 'reject', reasonCode: string) => {
    expect((await stack.call('/api/v1/review/claim', { token: reviewer.token, body: { clipId } })).status).toBe(200);
    expect((await stack.call(`/api/v1/review/${clipId}/decision`, { token: reviewer.token, body: { decision, reasonCode } })).status).toBe(200);
  };
  const settled = (id: string) => stack.waitForState(id, admin, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 240_000) as Promise<ClipDto>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prior-provenance-e2e-'));
    stack = await startStack({ workers: 1, env: { WORKER_CONCURRENCY: '2' } });
    admin = await stack.login();
    [creatorA, creatorB, reviewer] = await Promise.all([stack.userWithRoles(['creator'], admin), stack.userWithRoles(['creator'], admin), stack.userWithRoles(['reviewer'], admin)]);

    // Creator A's clips: one released (signed), one rejected in review.
    original.released = await upload(creatorA.token, await makeClip(dir, { width: 640, height: 360, seconds: 3, name: 'a-released.mp4' }));
    original.rejected = await upload(creatorA.token, await makeClip(dir, { width: 640, height: 360, seconds: 2, name: 'a-rejected.mp4' }));
    await Promise.all(Object.values(original).map(settled));
    await decide(original.rejected, 'reject', 'REJECT_DECEPTIVE');
    await decide(original.released, 'approve', 'APPROVE_POLICY_COMPLIANT');
    expect((await stack.waitForState(original.released, admin, ['RELEASED', 'FAILED'], 120_000)).state).toBe('RELEASED');

    const download = await fetch(`${stack.baseUrl}/api/v1/clips/${original.released}/download`, { headers: { authorization: `Bearer ${creatorA.token}` } });
    expect(download.status).toBe(200);
    const signed = join(dir, 'signed.mp4');
    await writeFile(signed, Buffer.from(await download.arrayBuffer()));
    // The same pictures without the C2PA manifest: a remux that drops every box ffmpeg does not copy, metadata too.
    const stripped = join(dir, 'stripped.mp4');
    await runProcess(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', signed, '-map', '0', '-map_metadata', '-1', '-c', 'copy', stripped], { timeoutMs: 60_000 });
    // A copy of the rejected clip: the watermarked render reviewers saw.
    const rejectedClip = (await stack.call<ClipDto>(`/api/v1/clips/${original.rejected}`, { token: admin })).body;
    const rejectedCopy = join(dir, 'rejected-copy.mp4');
    const sha = rejectedClip.media!.sha256;
    await writeFile(rejectedCopy, await readFile(join(stack.env.DATA_DIR, 'store', 'objects', sha.slice(0, 2), sha.slice(2, 4), sha)));
    const fresh = await makeClip(dir, { width: 640, height: 360, seconds: 2, name: 'b-fresh.mp4', audio: null });

    const ids = {
      signed: await upload(creatorB.token, signed),
      stripped: await upload(creatorB.token, stripped),
      rejected: await upload(creatorB.token, rejectedCopy),
      fresh: await upload(creatorB.token, fresh),
      ownReupload: await upload(creatorA.token, stripped),
    };
    for (const [name, id] of Object.entries(ids)) copies[name as keyof typeof copies] = await settled(id);
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("flags creator A's released, signed file uploaded by creator B, naming A's clip and its state, from manifest and watermark", async () => {
    const clip = copies.signed;
    expect({ state: clip.state, flagged: clip.flagged }).toEqual({ state: 'AWAITING_REVIEW', flagged: true });
    expect(stageOf(clip, 'prior_provenance')).toMatchObject({ status: 'succeeded', verdict: 'review' });
    expect(finding(clip)).toMatchObject({
      found: 'both',
      c2paState: 'Trusted',
      watermark: { found: true },
      originalClipId: original.released,
      originalState: 'RELEASED',
      sameCreator: false,
      note: expect.stringContaining(`this file is clip ${original.released} by another creator, in state RELEASED`),
    });
    // The reviewer reads the same evidence on the clip record.
    const seen = (await stack.call<ClipDto>(`/api/v1/clips/${clip.id}`, { token: reviewer.token })).body;
    expect(finding(seen)).toEqual(finding(clip));
    // The render that follows says it marked over A's watermark, never silently.
    const watermark = stageOf(clip, 'watermark')!.result;
    expect(watermark.markedOver).toEqual({ originalClipId: original.released, payload: finding(clip).watermark.payload });
    expect(watermark.note).toContain(`already carried the watermark of clip ${original.released}`);
    // Flagged: two approvals, one a senior's.
    const queue = await stack.db((db) => db.query('SELECT four_eyes FROM review_items WHERE clip_id = $1', [clip.id]).then((r) => r.rows));
    expect(queue).toEqual([{ four_eyes: true }]);
  });

  it('catches the same file with its C2PA manifest stripped through the watermark', async () => {
    const clip = copies.stripped;
    expect({ state: clip.state, flagged: clip.flagged }).toEqual({ state: 'AWAITING_REVIEW', flagged: true });
    expect(finding(clip)).toMatchObject({ found: 'watermark', c2paState: 'absent', originalClipId: original.released, originalState: 'RELEASED', sameCreator: false });
  });

  it('blocks a copy of a rejected clip before it is marked', async () => {
    const clip = copies.rejected;
    expect(clip.state).toBe('BLOCKED');
    expect(stageOf(clip, 'prior_provenance')).toMatchObject({ verdict: 'block' });
    expect(finding(clip)).toMatchObject({ found: 'watermark', originalClipId: original.rejected, originalState: 'REJECTED', sameCreator: false });
    expect(clip.failureReason).toContain(`this file is a copy of clip ${original.rejected} by another creator, in state REJECTED`);
    expect(stageOf(clip, 'watermark')).toBeUndefined();
  });

  it('leaves a fresh, non-Provenant file unaffected', async () => {
    const clip = copies.fresh;
    expect({ state: clip.state, flagged: clip.flagged }).toEqual({ state: 'AWAITING_REVIEW', flagged: false });
    expect(stageOf(clip, 'prior_provenance')).toMatchObject({ status: 'succeeded', verdict: 'allow' });
    expect(finding(clip)).toEqual({ found: null, c2paState: 'absent', watermark: { found: false, payload: null, confidence: expect.any(Number) }, originalClipId: null, originalState: null, sameCreator: null, note: null });
    expect(stageOf(clip, 'watermark')!.result).toMatchObject({ markedOver: null, readBack: { found: true } });
  });

  it("notes, without flagging, a creator's re-upload of their own released clip", async () => {
    const clip = copies.ownReupload;
    expect({ state: clip.state, flagged: clip.flagged }).toEqual({ state: 'AWAITING_REVIEW', flagged: false });
    expect(stageOf(clip, 'prior_provenance')).toMatchObject({ verdict: 'allow' });
    expect(finding(clip)).toMatchObject({ originalClipId: original.released, sameCreator: true, note: expect.stringMatching(/by the same creator, in state RELEASED .*a re-upload of their own clip/) });
  });
});
