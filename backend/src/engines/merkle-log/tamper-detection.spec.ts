import { generateKeyPairSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type AuditEvent, auditEventLeafHash } from './audit-event';
import { AuditLogVerifier } from './audit-log-verifier';
import { writeAuditExport } from './audit-export-writer';
import { CheckpointSigner, generateDevelopmentKey } from './checkpoint-signing';
import { CheckpointKeyError, ExportBuildError } from './errors';
import { verifyExport } from './export-verifier';
import { InMemoryHashStore } from './hash-store';
import { MerkleLog } from './merkle-log';
import { hashLeaf } from './tree-hash';
import type { LogVerification } from './verification-result';

const ORIGIN = 'provenant.test/audit';
const key = generateDevelopmentKey();
const signer = CheckpointSigner.fromPrivateKeyPem(key.privateKeyPem);

function makeEvents(count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    at: new Date(Date.UTC(2025, 2, 1, 12, 0, 0) + i * 1500).toISOString().replace('Z', '123Z'), // microseconds, as Postgres keeps them
    actor: i % 3 === 0 ? 'system' : `user:${i % 5}`,
    action: ['clip.transition', 'review.claim', 'review.decision'][i % 3],
    subjectType: 'clip',
    subjectId: `clip-${Math.floor(i / 4)}`,
    body: { step: i, reasonCode: i % 2 ? 'policy.ok.v1' : 'policy.flag.v1', sha256: hashLeaf(Buffer.from([i])).toString('hex') },
  }));
}

/** A log of `count` events with checkpoints at the given sizes, as the lead's append path would leave it. */
async function buildLog(count: number, checkpointSizes: number[]) {
  const events = makeEvents(count);
  const log = await MerkleLog.open(new InMemoryHashStore(), 0);
  await log.append(events.map(auditEventLeafHash));
  const checkpoints = await Promise.all(
    checkpointSizes.map(async (treeSize, i) =>
      signer.sign({ origin: ORIGIN, treeSize, rootHash: await log.rootAt(treeSize), timestamp: new Date(Date.UTC(2025, 2, 2, 0, i)).toISOString() }),
    ),
  );
  return { events, log, checkpoints, recorded: await log.leafHashes(0, log.size) };
}

const renumber = (events: AuditEvent[]) => events.map((event, i) => ({ ...event, seq: i + 1 }));

describe('AuditLogVerifier: recomputing the log from the database', () => {
  let fixture: Awaited<ReturnType<typeof buildLog>>;
  beforeAll(async () => {
    fixture = await buildLog(40, [10, 25, 40]);
  });

  function verify(
    events: AuditEvent[],
    recorded: Buffer[] = fixture.recorded,
    checkpoints: readonly string[] = fixture.checkpoints,
    publicKeyPem = key.publicKeyPem,
  ): LogVerification {
    const verifier = new AuditLogVerifier({ origin: ORIGIN, publicKeyPem, checkpoints });
    // Fed in uneven batches, as a cursor over Postgres would.
    for (let i = 0; i < events.length; i += 7) verifier.addEvents(events.slice(i, i + 7));
    for (let i = 0; i < recorded.length; i += 11) verifier.addRecordedLeafHashes(recorded.slice(i, i + 11));
    return verifier.finish();
  }

  it('accepts the untouched log', () => {
    expect(verify(fixture.events)).toEqual({ ok: true, checkedEvents: 40, signedTreeSize: 40 });
  });

  it('names an altered column', () => {
    const events = fixture.events.map((e) => (e.seq === 17 ? { ...e, actor: 'user:999' } : e));
    const result = verify(events);
    expect(result).toMatchObject({ ok: false, checkedEvents: 16, firstProblem: { seq: 17, kind: 'altered' } });
    expect(result.firstProblem!.message).toMatch(/seq 17 was altered/);
    expect(Object.keys(result.firstProblem!).sort()).toEqual(['kind', 'message', 'seq']);
  });

  it('names an altered body field and an altered microsecond', () => {
    const body = fixture.events.map((e) => (e.seq === 3 ? { ...e, body: { ...e.body, reasonCode: 'policy.ok.v1x' } } : e));
    expect(verify(body).firstProblem).toMatchObject({ seq: 3, kind: 'altered' });
    const time = fixture.events.map((e) => (e.seq === 30 ? { ...e, at: (e.at as string).replace('123Z', '124Z') } : e));
    expect(verify(time).firstProblem).toMatchObject({ seq: 30, kind: 'altered' });
  });

  it('names a row made unreadable (empty actor) as altered, with the reason', () => {
    const events = fixture.events.map((e) => (e.seq === 5 ? { ...e, actor: '' } : e));
    expect(verify(events).firstProblem).toMatchObject({ seq: 5, kind: 'altered', message: expect.stringMatching(/actor must be/) });
  });

  it('names a changed seq number that did not move the row', () => {
    const events = fixture.events.map((e) => (e.seq === 40 ? { ...e, seq: 45 } : e));
    expect(verify(events).firstProblem).toMatchObject({ seq: 40, kind: 'altered', message: expect.stringMatching(/now carries seq 45/) });
  });

  it('names a deleted row, with or without renumbering the rows after it, and a deleted last row', () => {
    const without17 = fixture.events.filter((e) => e.seq !== 17);
    expect(verify(without17)).toMatchObject({ checkedEvents: 16, firstProblem: { seq: 17, kind: 'removed' } });
    expect(verify(renumber(without17)).firstProblem).toMatchObject({ seq: 17, kind: 'removed' });
    expect(verify(fixture.events.slice(0, 39)).firstProblem).toMatchObject({ seq: 40, kind: 'removed' });
  });

  it('names an inserted row: renumbered into the middle, appended at the end, or slipped in as seq 0', () => {
    const forged: AuditEvent = { ...fixture.events[16], actor: 'user:forger', body: { forged: true } };
    const middle = renumber([...fixture.events.slice(0, 16), forged, ...fixture.events.slice(16)]);
    expect(verify(middle)).toMatchObject({ checkedEvents: 16, firstProblem: { seq: 17, kind: 'inserted' } });
    const end = [...fixture.events, { ...forged, seq: 41 }];
    expect(verify(end).firstProblem).toMatchObject({ seq: 41, kind: 'inserted' });
    const zero = [{ ...forged, seq: 0 }, ...fixture.events];
    expect(verify(zero).firstProblem).toMatchObject({ seq: 0, kind: 'inserted' });
  });

  it('names reordered rows: two seq numbers swapped, or one row moved to the end', () => {
    const swapped = fixture.events.map((e) => (e.seq === 17 ? { ...e, seq: 21 } : e.seq === 21 ? { ...e, seq: 17 } : e));
    swapped.sort((a, b) => a.seq - b.seq);
    const result = verify(swapped);
    expect(result).toMatchObject({ checkedEvents: 16, firstProblem: { seq: 17, kind: 'reordered' } });
    expect(result.firstProblem!.message).toMatch(/holds the entry recorded as seq 21/);
    const moved = [...fixture.events.filter((e) => e.seq !== 17), { ...fixture.events[16], seq: 1000 }];
    expect(verify(moved).firstProblem).toMatchObject({ seq: 17, kind: 'reordered' });
  });

  it('tells four tamperings of the same row apart', () => {
    const kinds = [
      verify(fixture.events.map((e) => (e.seq === 9 ? { ...e, action: 'x' } : e))),
      verify(fixture.events.filter((e) => e.seq !== 9)),
      verify(renumber([...fixture.events.slice(0, 8), { ...fixture.events[8], action: 'x' }, ...fixture.events.slice(8)])),
      verify(renumber([...fixture.events.slice(0, 8), fixture.events[9], fixture.events[8], ...fixture.events.slice(10)])),
    ].map((r) => [r.firstProblem?.seq, r.firstProblem?.kind]);
    expect(kinds).toEqual([
      [9, 'altered'],
      [9, 'removed'],
      [9, 'inserted'],
      [9, 'reordered'],
    ]);
  });

  it('blames the hash store, not the event, when only a recorded leaf hash was changed', () => {
    const recorded = fixture.recorded.map((h, i) => (i === 16 ? hashLeaf(Buffer.from('planted')) : h));
    expect(verify(fixture.events, recorded).firstProblem).toMatchObject({
      seq: 17,
      kind: 'bad-proof',
      message: expect.stringMatching(/events still match the signed checkpoint of size 25/),
    });
  });

  it('catches a row rewritten together with its recorded hash through the signed checkpoint covering it', () => {
    const events = fixture.events.map((e) => (e.seq === 17 ? { ...e, actor: 'user:999' } : e));
    const recorded = events.map(auditEventLeafHash);
    const result = verify(events, recorded);
    expect(result).toMatchObject({ ok: false, checkedEvents: 10, firstProblem: { seq: 11, kind: 'bad-proof' } });
    expect(result.firstProblem!.message).toMatch(/seq 11\.\.25/);
  });

  it('names a log truncated below its signed size, rows and hashes alike', () => {
    const result = verify(fixture.events.slice(0, 30), fixture.recorded.slice(0, 30));
    expect(result.firstProblem).toMatchObject({ seq: 31, kind: 'removed' });
    expect(result.firstProblem!.message).toMatch(/covers 40 entries, the log holds 30/);
  });

  it('refuses an edited checkpoint, one signed by another key, and one of another log', () => {
    const edited = [fixture.checkpoints[0].replace('\n10\n', '\n11\n'), ...fixture.checkpoints.slice(1)];
    expect(verify(fixture.events, fixture.recorded, edited)).toMatchObject({ checkedEvents: 0, firstProblem: { seq: null, kind: 'bad-signature' } });
    expect(verify(fixture.events, fixture.recorded, fixture.checkpoints, generateDevelopmentKey().publicKeyPem).firstProblem?.kind).toBe('bad-signature');
    const foreign = signer.sign({ origin: 'elsewhere.test/log', treeSize: 40, rootHash: fixture.log.rootHash(), timestamp: '2025-03-03T00:00:00.000Z' });
    expect(verify(fixture.events, fixture.recorded, [foreign]).firstProblem).toMatchObject({
      kind: 'bad-signature',
      message: expect.stringMatching(/not "provenant.test\/audit"/),
    });
  });

  it('names a second signed history (a fork) as a checkpoint problem', () => {
    const fork = signer.sign({ origin: ORIGIN, treeSize: 25, rootHash: hashLeaf(Buffer.from('fork')), timestamp: '2025-03-03T00:00:00.000Z' });
    expect(verify(fixture.events, fixture.recorded, [...fixture.checkpoints, fork]).firstProblem).toMatchObject({
      seq: null,
      kind: 'bad-proof',
      message: expect.stringMatching(/size 25 contradicts the signed checkpoint of size 40/),
    });
  });

  it('treats a log without checkpoints as verified against its recorded hashes only', () => {
    expect(verify(fixture.events, fixture.recorded, [])).toEqual({ ok: true, checkedEvents: 40, signedTreeSize: 0 });
    const events = fixture.events.map((e) => (e.seq === 2 ? { ...e, action: 'x' } : e));
    expect(verify(events, fixture.recorded, []).firstProblem).toMatchObject({ seq: 2, kind: 'altered' });
  });

  it('throws a typed error for an unusable public key instead of reporting tampering', () => {
    expect(() => new AuditLogVerifier({ origin: ORIGIN, publicKeyPem: 'not a key', checkpoints: [] })).toThrow(CheckpointKeyError);
  });

  it('throws a typed error for a seq the caller did not convert from bigint text', () => {
    const verifier = new AuditLogVerifier({ origin: ORIGIN, publicKeyPem: key.publicKeyPem, checkpoints: [] });
    expect(() => verifier.addEvents([{ ...fixture.events[0], seq: '1' as unknown as number }])).toThrow(/seq must be an integer number/);
  });
});

describe('audit export: written from the log, verified offline', () => {
  let fixture: Awaited<ReturnType<typeof buildLog>>;
  let lines: string[];
  beforeAll(async () => {
    fixture = await buildLog(41, [25, 41]);
    lines = await collect(fixture.log, fixture.checkpoints, 1, 41, fixture.events);
  });

  async function collect(log: MerkleLog, checkpoints: string[], firstSeq: number, lastSeq: number, events: AuditEvent[], proofTreeSize?: number) {
    const out: string[] = [];
    for await (const line of writeAuditExport(log, { origin: ORIGIN, publicKeyPem: key.publicKeyPem, checkpoints, firstSeq, lastSeq, events, proofTreeSize })) {
      out.push(line);
    }
    return out;
  }

  const eventLineIndex = (seq: number) => lines.findIndex((l) => l.startsWith(`{"type":"event","seq":${seq},`));
  const editEvent = (seq: number, edit: (record: Record<string, any>) => void) =>
    lines.map((line, i) => {
      if (i !== eventLineIndex(seq)) return line;
      const record = JSON.parse(line);
      edit(record);
      return JSON.stringify(record);
    });

  it('round-trips through a file read line by line', async () => {
    expect(lines).toHaveLength(1 + 2 + 1 + 41);
    const dir = await mkdtemp(join(tmpdir(), 'audit-export-'));
    try {
      const file = join(dir, 'audit.jsonl');
      await writeFile(file, `${lines.join('\n')}\n`);
      const result = await verifyExport(createInterface({ input: createReadStream(file), crlfDelay: Infinity }), key.publicKeyPem);
      expect(result).toEqual({ ok: true, checkedEvents: 41, signedTreeSize: 41 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('verifies a range export proven against a checkpoint at its last seq', async () => {
    const range = await collect(fixture.log, fixture.checkpoints, 11, 25, fixture.events.slice(10, 25));
    expect(await verifyExport(range, key.publicKeyPem)).toEqual({ ok: true, checkedEvents: 15, signedTreeSize: 41 });
  });

  it('verifies a range export proven against a later checkpoint, so exporting any range signs nothing new', async () => {
    const range = await collect(fixture.log, fixture.checkpoints, 11, 30, fixture.events.slice(10, 30), 41);
    expect(JSON.parse(range[0])).toMatchObject({ format: 'provenant-audit-export/v2', firstSeq: 11, lastSeq: 30, proofTreeSize: 41 });
    expect(await verifyExport(range, key.publicKeyPem)).toEqual({ ok: true, checkedEvents: 20, signedTreeSize: 41 });
    const at = range.findIndex((l) => l.startsWith('{"type":"event","seq":30,'));
    const edited = range.map((l, i) => (i === at ? l.replace('"actor":"', '"actor":"x') : l));
    expect((await verifyExport(edited, key.publicKeyPem)).firstProblem).toMatchObject({ seq: 30, kind: 'altered' });
    const dropped = range.filter((_, i) => i !== at);
    expect(await verifyExport(dropped, key.publicKeyPem)).toMatchObject({ ok: false, firstProblem: { seq: 30 } });
    const early = [JSON.stringify({ ...JSON.parse(range[0]), proofTreeSize: 29 }), ...range.slice(1)];
    expect((await verifyExport(early, key.publicKeyPem)).firstProblem).toMatchObject({ kind: 'malformed', message: /proofTreeSize is before lastSeq/ });
    await expect(collect(fixture.log, fixture.checkpoints, 11, 30, fixture.events.slice(10, 30), 29)).rejects.toThrow(/proof tree size 29 is before the last seq 30/);
  });

  it('still verifies a v1 export, whose proofs target the checkpoint at its last seq', async () => {
    const range = await collect(fixture.log, fixture.checkpoints, 11, 25, fixture.events.slice(10, 25));
    const { proofTreeSize: _, ...header } = JSON.parse(range[0]);
    const v1 = [JSON.stringify({ ...header, format: 'provenant-audit-export/v1' }), ...range.slice(1)];
    expect(await verifyExport(v1, key.publicKeyPem)).toEqual({ ok: true, checkedEvents: 15, signedTreeSize: 41 });
    const v2WithoutSize = [JSON.stringify(header), ...range.slice(1)];
    expect((await verifyExport(v2WithoutSize, key.publicKeyPem)).firstProblem).toMatchObject({ kind: 'malformed', message: /no proofTreeSize/ });
  });

  it('names an edited event', async () => {
    const edited = editEvent(17, (r) => (r.event.actor = 'user:999'));
    expect(await verifyExport(edited, key.publicKeyPem)).toMatchObject({ ok: false, checkedEvents: 16, firstProblem: { seq: 17, kind: 'altered' } });
  });

  it('names an event line carrying a field the leaf hash does not cover', async () => {
    const edited = editEvent(9, (r) => (r.event.approvedBy = 'user:1'));
    expect((await verifyExport(edited, key.publicKeyPem)).firstProblem).toMatchObject({
      seq: 9,
      kind: 'altered',
      message: expect.stringMatching(/unexpected event field "approvedBy"/),
    });
  });

  it('names an edited event even when its leaf hash was recomputed to match', async () => {
    const recompute = (r: Record<string, any>) => (r.leafHash = auditEventLeafHash({ ...r.event, seq: r.seq }).toString('base64'));
    const middle = editEvent(17, (r) => ((r.event.actor = 'user:999'), recompute(r)));
    expect((await verifyExport(middle, key.publicKeyPem)).firstProblem).toMatchObject({ seq: 17, kind: 'altered' });
    // The last leaf of an odd-sized tree has no sibling leaf; other paths still reveal it.
    const last = editEvent(41, (r) => ((r.event.body = { step: 0 }), recompute(r)));
    expect((await verifyExport(last, key.publicKeyPem)).firstProblem).toMatchObject({ seq: 41, kind: 'altered' });
  });

  it('names an edited inclusion proof as a bad proof, not as an altered event', async () => {
    const edited = editEvent(17, (r) => (r.inclusionProof[1] = hashLeaf(Buffer.from('x')).toString('base64')));
    expect((await verifyExport(edited, key.publicKeyPem)).firstProblem).toMatchObject({ seq: 17, kind: 'bad-proof' });
  });

  it('names a dropped line, a dropped last line, an added line and swapped lines', async () => {
    const dropped = lines.filter((_, i) => i !== eventLineIndex(17));
    expect((await verifyExport(dropped, key.publicKeyPem)).firstProblem).toMatchObject({ seq: 17, kind: 'removed' });
    expect((await verifyExport(lines.slice(0, -1), key.publicKeyPem)).firstProblem).toMatchObject({ seq: 41, kind: 'removed' });

    const forged = JSON.parse(lines[eventLineIndex(17)]);
    forged.event.actor = 'user:forger';
    const added = [...lines.slice(0, eventLineIndex(18)), JSON.stringify(forged), ...lines.slice(eventLineIndex(18))];
    expect((await verifyExport(added, key.publicKeyPem)).firstProblem).toMatchObject({ seq: 17, kind: 'inserted' });
    const appended = [...lines, JSON.stringify({ ...forged, seq: 42 })];
    expect((await verifyExport(appended, key.publicKeyPem)).firstProblem).toMatchObject({ seq: 42, kind: 'inserted' });

    const swapped = [...lines];
    [swapped[eventLineIndex(17)], swapped[eventLineIndex(20)]] = [lines[eventLineIndex(20)], lines[eventLineIndex(17)]];
    expect(await verifyExport(swapped, key.publicKeyPem)).toMatchObject({ checkedEvents: 16, firstProblem: { seq: 17, kind: 'reordered' } });
  });

  it('names an edited checkpoint, the wrong key and a broken consistency proof', async () => {
    const checkpointLine = lines.findIndex((l) => l.startsWith('{"type":"checkpoint"'));
    const edited = lines.map((l, i) => (i === checkpointLine ? l.replace('\\n25\\n', '\\n24\\n') : l));
    expect((await verifyExport(edited, key.publicKeyPem)).firstProblem).toMatchObject({ seq: null, kind: 'bad-signature' });
    expect((await verifyExport(lines, generateDevelopmentKey().publicKeyPem)).firstProblem?.kind).toBe('bad-signature');

    const consistencyLine = lines.findIndex((l) => l.startsWith('{"type":"consistency"'));
    const record = JSON.parse(lines[consistencyLine]);
    record.proof[0] = hashLeaf(Buffer.from('y')).toString('base64');
    const broken = lines.map((l, i) => (i === consistencyLine ? JSON.stringify(record) : l));
    expect((await verifyExport(broken, key.publicKeyPem)).firstProblem).toMatchObject({
      kind: 'bad-proof',
      message: expect.stringMatching(/size 41 is not consistent with the one of size 25/),
    });
  });

  it('throws a typed error for an unusable public key before reading', async () => {
    await expect(verifyExport(lines, 'not a key')).rejects.toThrow(CheckpointKeyError);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    await expect(verifyExport(lines, rsa)).rejects.toThrow(/must be Ed25519, got rsa/);
  });

  it('names unreadable lines with their line number', async () => {
    const garbage = [...lines.slice(0, eventLineIndex(5)), '{"type":"event",', ...lines.slice(eventLineIndex(5))];
    expect(await verifyExport(garbage, key.publicKeyPem)).toMatchObject({
      checkedEvents: 4,
      firstProblem: { seq: null, kind: 'malformed', message: expect.stringMatching(/^line 9: not valid JSON/) },
    });
    expect((await verifyExport(lines.slice(1), key.publicKeyPem)).firstProblem).toMatchObject({ kind: 'malformed', message: /first record must be the header/ });
    const badHeader = [JSON.stringify({ ...JSON.parse(lines[0]), format: 'other/v9' }), ...lines.slice(1)];
    expect((await verifyExport(badHeader, key.publicKeyPem)).firstProblem).toMatchObject({ kind: 'malformed', message: /line 1: format/ });
    expect((await verifyExport([], key.publicKeyPem)).firstProblem).toMatchObject({ kind: 'malformed', message: /no header/ });
  });

  it('refuses to build an export without a checkpoint at its last seq, or from the wrong events', async () => {
    await expect(collect(fixture.log, fixture.checkpoints, 1, 30, fixture.events.slice(0, 30))).rejects.toThrow(/no checkpoint of tree size 30 \(the export's proof tree size\)/);
    await expect(collect(fixture.log, fixture.checkpoints, 1, 25, fixture.events.slice(1, 25))).rejects.toThrow(/expected event seq 1, got 2/);
    await expect(collect(fixture.log, fixture.checkpoints, 1, 25, fixture.events.slice(0, 20))).rejects.toThrow(ExportBuildError);
    const foreign = signer.sign({ origin: ORIGIN, treeSize: 25, rootHash: hashLeaf(Buffer.from('other')), timestamp: '2025-03-03T00:00:00.000Z' });
    await expect(collect(fixture.log, [foreign], 1, 25, fixture.events.slice(0, 25))).rejects.toThrow(/does not match this log/);
  });
});
