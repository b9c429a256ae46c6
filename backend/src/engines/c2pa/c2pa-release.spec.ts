import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTimestampAuthority } from '../../../test/fakes/fake-timestamp-authority';
import { resolveFfmpegBinaries, runProcess } from '../media';
import { InputMismatchError, InputTooLargeError, TimestampFailedError, UnsupportedMediaError } from './c2pa-errors';
import { C2paSigner, PemFileSigner } from './c2pa-signer';
import { C2paWasmHost } from './c2pa-wasm-host';
import { IssuedCertificate, createCertificateAuthority, issueEndEntityCertificate } from './development-pki';
import { readManifest } from './manifest-reader';
import { ReleaseProvenance, TRAINED_ALGORITHMIC_MEDIA } from './release-provenance';
import { ReleaseSigner } from './release-signer';
import { Rfc3161TimestampClient } from './timestamp-authority';

const ffmpeg = resolveFfmpegBinaries().ffmpeg;
const CHECKPOINT =
  'provenant.local/audit\n42\nq1XJnqQ0rMJm7q8n1fN1E9mZ0W8dK3mP8m2u2k3O4yA=\ntimestamp 2026-11-26T12:00:00.000Z\n\n\u2014 provenant.local/audit AAAAAQ3nQ0r8c2p4==\n';

describe('C2PA release signing and verification (real MP4s, real c2pa-rs)', () => {
  let dir: string;
  let clip: string;
  let thumbnail: Buffer;
  let ca: IssuedCertificate;
  let anchors: string;
  let signer: PemFileSigner;
  let host: C2paWasmHost;
  let releaseSigner: ReleaseSigner;

  const provenance = (overrides: Partial<ReleaseProvenance> = {}): ReleaseProvenance => ({
    clipId: 'clip-0001',
    source: 'prompt',
    generator: { name: 'sora-2', version: '2025-10' },
    provenantVersion: '0.1.0',
    watermark: { algorithm: 'org.provenant.watermark.v1', payloadHex: '00c0ffee12345678', durationMs: 2000 },
    review: {
      decision: 'approved',
      approvals: 2,
      policyVersion: 'policy-2026.11',
      checkVerdicts: { moderation: 'allow', likeness: 'allow', copyright: 'review', watermark: 'allow' },
      auditSeq: 41,
      checkpoint: CHECKPOINT,
    },
    thumbnail: { format: 'image/jpeg', bytes: thumbnail },
    ...overrides,
  });

  const signTo = async (name: string, overrides: Partial<ReleaseProvenance> = {}, by = releaseSigner) =>
    by.sign({ inputPath: clip, outputPath: join(dir, name), provenance: provenance(overrides) });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'c2pa-release-'));
    clip = join(dir, 'clip.mp4');
    await runProcess(
      ffmpeg,
      ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440']
        .concat(['-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-y', clip]),
      { timeoutMs: 30_000 },
    );
    const thumbPath = join(dir, 'thumb.jpg');
    await runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', clip, '-frames:v', '1', '-vf', 'scale=160:-2', '-y', thumbPath], {
      timeoutMs: 30_000,
    });
    thumbnail = await readFile(thumbPath);

    ca = await createCertificateAuthority('Test Release CA');
    anchors = ca.certificatePem;
    const leaf = await issueEndEntityCertificate(ca, 'Test Release Signer', 'c2pa-signing');
    signer = PemFileSigner.fromPem(leaf.privateKeyPem, leaf.certificatePem);
    host = new C2paWasmHost();
    releaseSigner = new ReleaseSigner({ signer, maxInputBytes: 50 * 1024 * 1024, host });
  });

  afterAll(async () => {
    await host?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs a clip that reads back Trusted with our CA as anchor, claiming what the release says', async () => {
    const reference = { format: 'image/jpeg' as const, bytes: thumbnail, title: 'reference.jpg' };
    const signed = await signTo('trusted.mp4', { referenceImage: reference });

    const fileBytes = await readFile(signed.outputPath);
    expect(signed.sha256).toBe(createHash('sha256').update(fileBytes).digest('hex'));
    expect(signed.bytes).toBe(fileBytes.length);
    expect(signed.manifestLabel).toMatch(/^urn:c2pa:/);
    expect(signed.manifestStore.length).toBeGreaterThan(1000);
    await expect(stat(clip)).resolves.toMatchObject({ size: expect.any(Number) }); // input untouched

    const report = await readManifest(signed.outputPath, { trustAnchorsPem: anchors, host });
    expect(report.state).toBe('Trusted');
    expect(report.failures).toEqual([]);
    expect(report.signer).toMatchObject({ commonName: 'Test Release Signer', alg: expect.stringMatching(/es256/i) });
    const claims = report.claims!;
    expect(claims.manifestLabel).toBe(signed.manifestLabel);
    expect(claims.title).toBe('clip-0001.mp4');
    expect(claims.claimGenerator).toEqual([{ name: 'Provenant', version: '0.1.0' }]);
    expect(claims.actions).toEqual([
      { action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA, softwareAgent: 'sora-2' },
      { action: 'c2pa.watermarked.bound', digitalSourceType: null, softwareAgent: 'Provenant' },
    ]);
    expect(claims.softBindings).toEqual([{ algorithm: 'org.provenant.watermark.v1', value: '00c0ffee12345678' }]);
    expect(claims.ingredients).toEqual([{ title: 'reference.jpg', relationship: 'inputTo' }]);
    expect(claims.hasThumbnail).toBe(true);
    expect(claims.review).toEqual({
      clipId: 'clip-0001',
      source: 'prompt',
      decision: 'approved',
      approvals: 2,
      policyVersion: 'policy-2026.11',
      checkVerdicts: { moderation: 'allow', likeness: 'allow', copyright: 'review', watermark: 'allow' },
      auditSeq: 41,
      checkpoint: CHECKPOINT,
    });
    // The manifest store copy is the same manifest the file carries.
    expect(signed.manifest.label).toBe(signed.manifestLabel);

    // Reading from memory gives the same verdict as streaming from disk.
    const fromBytes = await readManifest(fileBytes, { trustAnchorsPem: anchors, host });
    expect(fromBytes.state).toBe('Trusted');
    expect(fromBytes.claims?.manifestLabel).toBe(signed.manifestLabel);
  });

  it('reads Valid with signingCredential.untrusted when the signer is not under a trusted anchor', async () => {
    const signed = await signTo('untrusted.mp4');
    const otherCa = await createCertificateAuthority('Someone Else CA');

    const underOtherAnchor = await readManifest(signed.outputPath, { trustAnchorsPem: otherCa.certificatePem, host });
    expect(underOtherAnchor.state).toBe('Valid');
    expect(underOtherAnchor.failures).toEqual(['signingCredential.untrusted']);

    const withoutAnchors = await readManifest(signed.outputPath, { host });
    expect(withoutAnchors.state).toBe('Valid');
    expect(withoutAnchors.failures).toContain('signingCredential.untrusted');
  });

  it('reads Invalid with assertion.bmffHash.mismatch when one media byte is flipped', async () => {
    const signed = await signTo('flipped.mp4');
    const bytes = await readFile(signed.outputPath);
    const mdat = findTopLevelBox(bytes, 'mdat');
    const target = mdat.offset + Math.floor(mdat.size / 2);
    bytes[target] ^= 0xff;
    const tampered = join(dir, 'flipped-tampered.mp4');
    await writeFile(tampered, bytes);

    const report = await readManifest(tampered, { trustAnchorsPem: anchors, host });
    expect(report.state).toBe('Invalid');
    expect(report.failures).toContain('assertion.bmffHash.mismatch');
  });

  it('reads Invalid when an assertion inside the manifest is edited', async () => {
    const signed = await signTo('edited.mp4');
    const bytes = await readFile(signed.outputPath);
    const at = bytes.indexOf(Buffer.from('policy-2026.11'));
    expect(at).toBeGreaterThan(0);
    bytes.write('policy-2099.11', at, 'latin1');
    const edited = join(dir, 'edited-tampered.mp4');
    await writeFile(edited, bytes);

    const report = await readManifest(edited, { trustAnchorsPem: anchors, host });
    expect(report.state).toBe('Invalid');
    expect(report.failures).toContain('assertion.hashedURI.mismatch');
  });

  it('reports the manifest absent after an ffmpeg -c copy re-mux', async () => {
    const signed = await signTo('remux-source.mp4');
    const remuxed = join(dir, 'remuxed.mp4');
    await runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', signed.outputPath, '-c', 'copy', '-y', remuxed], {
      timeoutMs: 30_000,
    });

    const report = await readManifest(remuxed, { trustAnchorsPem: anchors, host });
    expect(report).toEqual({ state: 'absent', signer: null, failures: [], claims: null });
  });

  it('turns Invalid (signingCredential.expired) once the certificate expires, unless the signature was time-stamped', async () => {
    const tsa = await FakeTimestampAuthority.start({ issuer: ca });
    try {
      // Long enough to sign both copies, short enough to wait out.
      const notAfter = new Date(Math.ceil((Date.now() + 6000) / 1000) * 1000);
      const shortLived = await issueEndEntityCertificate(ca, 'Short Lived Signer', 'c2pa-signing', { notAfter });
      const expiring = PemFileSigner.fromPem(shortLived.privateKeyPem, shortLived.certificatePem);
      const plain = new ReleaseSigner({ signer: expiring, maxInputBytes: 50 * 1024 * 1024, host });
      const stamped = new ReleaseSigner({
        signer: expiring,
        timestampAuthority: new Rfc3161TimestampClient(tsa.url),
        maxInputBytes: 50 * 1024 * 1024,
        host,
      });
      const withoutStamp = await signTo('expiring-plain.mp4', {}, plain);
      const withStamp = await signTo('expiring-stamped.mp4', {}, stamped);
      expect(withStamp.timestamped).toBe(true);
      expect(tsa.tokensGranted).toBe(1);

      const beforeExpiry = await readManifest(withoutStamp.outputPath, { trustAnchorsPem: anchors, host });
      expect(beforeExpiry.state).toBe('Trusted');

      await sleep(notAfter.getTime() - Date.now() + 1500);

      const plainAfter = await readManifest(withoutStamp.outputPath, { trustAnchorsPem: anchors, host });
      expect(plainAfter.state).toBe('Invalid');
      expect(plainAfter.failures).toContain('signingCredential.expired');

      const stampedAfter = await readManifest(withStamp.outputPath, { trustAnchorsPem: anchors, timestampAnchorsPem: anchors, host });
      expect(stampedAfter.state).toBe('Trusted');
      expect(stampedAfter.failures).toEqual([]);
      expect(stampedAfter.signer?.timestampedAt).toEqual(expect.any(String));

      // The time stamp only counts when its authority is trusted too.
      const tsaNotTrusted = await readManifest(withStamp.outputPath, { trustAnchorsPem: anchors, host });
      expect(tsaNotTrusted.state).toBe('Invalid');
      expect(tsaNotTrusted.failures).toContain('signingCredential.expired');

      // And the signer refuses to sign with the expired certificate at all.
      await expect(signTo('expired-attempt.mp4', {}, plain)).rejects.toThrow(/signing certificate expired/);
    } finally {
      await tsa.close();
    }
  });

  it('fails with a typed error and leaves no file when the time-stamp authority refuses', async () => {
    const tsa = await FakeTimestampAuthority.start({ issuer: ca });
    try {
      tsa.refuse();
      const stamped = new ReleaseSigner({
        signer,
        timestampAuthority: new Rfc3161TimestampClient(tsa.url),
        maxInputBytes: 50 * 1024 * 1024,
        host,
      });
      const attempt = signTo('refused.mp4', {}, stamped);
      await expect(attempt).rejects.toBeInstanceOf(TimestampFailedError);
      await expect(attempt).rejects.toThrow(/refused the request \(status 2\)/);
      await expect(stat(join(dir, 'refused.mp4'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await tsa.close();
    }
  });

  it('names a file that is not an MP4, for reading and for signing', async () => {
    const notVideo = join(dir, 'notes.txt');
    await writeFile(notVideo, 'this is plainly not a video file at all');

    await expect(readManifest(notVideo, { host })).rejects.toBeInstanceOf(UnsupportedMediaError);
    await expect(readManifest(notVideo, { host })).rejects.toThrow(/not an MP4\/MOV \(ISO BMFF\) file/);
    await expect(readManifest(Buffer.from('GIF89a not a video'), { host })).rejects.toBeInstanceOf(UnsupportedMediaError);
    await expect(
      releaseSigner.sign({ inputPath: notVideo, outputPath: join(dir, 'never.mp4'), provenance: provenance() }),
    ).rejects.toBeInstanceOf(UnsupportedMediaError);
  });

  it('signs only the approved content when its hash is given', async () => {
    const approved = createHash('sha256').update(await readFile(clip)).digest('hex');
    const signed = await releaseSigner.sign({
      inputPath: clip,
      expectedInputSha256: approved,
      outputPath: join(dir, 'approved.mp4'),
      provenance: provenance(),
    });
    expect(signed.bytes).toBeGreaterThan(0);

    const other = 'f'.repeat(64);
    const attempt = releaseSigner.sign({ inputPath: clip, expectedInputSha256: other, outputPath: join(dir, 'swapped.mp4'), provenance: provenance() });
    await expect(attempt).rejects.toThrow(new InputMismatchError(other, approved));
    await expect(stat(join(dir, 'swapped.mp4'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses an input above the cap before any signing work', async () => {
    let signatures = 0;
    const counting: C2paSigner = {
      alg: signer.alg,
      certificateChain: signer.certificateChain,
      sign: (data) => {
        signatures++;
        return signer.sign(data);
      },
    };
    const capped = new ReleaseSigner({ signer: counting, maxInputBytes: 10_000, host });
    const { size } = await stat(clip);

    const attempt = signTo('oversized.mp4', {}, capped);
    await expect(attempt).rejects.toBeInstanceOf(InputTooLargeError);
    await expect(attempt).rejects.toThrow(`input is ${size} bytes, above the configured signing cap of 10000 bytes`);
    expect(signatures).toBe(0);
    await expect(stat(join(dir, 'oversized.mp4'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

function findTopLevelBox(bytes: Buffer, type: string): { offset: number; size: number } {
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(offset);
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8));
    if (size === 0) size = bytes.length - offset;
    if (bytes.toString('latin1', offset + 4, offset + 8) === type) return { offset, size };
    offset += size;
  }
  throw new Error(`no top-level ${type} box`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
