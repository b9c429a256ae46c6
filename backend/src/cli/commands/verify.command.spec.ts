import { Command } from 'commander';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHttpServer } from '../../../test/fakes/fake-http-server';
import { PemFileSigner } from '../../engines/c2pa/c2pa-signer';
import { createCertificateAuthority, issueEndEntityCertificate } from '../../engines/c2pa/development-pki';
import { ReleaseSigner } from '../../engines/c2pa/release-signer';
import { resolveFfmpegBinaries, runProcess } from '../../engines/media';
import { CliError } from '../cli-context';
import { registerVerifyCommands } from './verify.command';

describe('provenant verify', () => {
  let dir: string;
  let unsigned: string;
  let signed: string;
  let anchorsPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-verify-'));
    unsigned = join(dir, 'plain.mp4');
    const ffmpeg = resolveFfmpegBinaries().ffmpeg;
    await runProcess(
      ffmpeg,
      ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '1']
        .concat(['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', unsigned]),
      { timeoutMs: 30_000 },
    );
    const thumbPath = join(dir, 'thumb.jpg');
    await runProcess(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', unsigned, '-frames:v', '1', '-y', thumbPath], { timeoutMs: 30_000 });

    const ca = await createCertificateAuthority('CLI Test CA');
    const leaf = await issueEndEntityCertificate(ca, 'CLI Test Signer', 'c2pa-signing');
    anchorsPath = join(dir, 'anchors.pem');
    await writeFile(anchorsPath, ca.certificatePem);
    const releaseSigner = new ReleaseSigner({ signer: PemFileSigner.fromPem(leaf.privateKeyPem, leaf.certificatePem), maxInputBytes: 10_000_000 });
    signed = join(dir, 'signed.mp4');
    try {
      await releaseSigner.sign({
        inputPath: unsigned,
        outputPath: signed,
        provenance: {
          clipId: 'clip-cli-1',
          source: 'prompt',
          generator: { name: 'sora-2' },
          provenantVersion: '0.1.0',
          watermark: { algorithm: 'org.provenant.watermark.v1', payloadHex: 'beef' },
          review: {
            decision: 'approved',
            approvals: 2,
            policyVersion: 'policy-9',
            checkVerdicts: { moderation: 'allow' },
            auditSeq: 3,
            checkpoint:
              'provenant.local/audit\n3\nq1XJnqQ0rMJm7q8n1fN1E9mZ0W8dK3mP8m2u2k3O4yA=\ntimestamp 2026-11-26T12:00:00.000Z\n\n\u2014 provenant.local/audit AAAAAQ3nQ0r8c2p4==\n',
          },
          thumbnail: { format: 'image/jpeg', bytes: await readFile(thumbPath) },
        },
      });
    } finally {
      await releaseSigner.close();
    }
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('offline with --json prints one object: Trusted under the given anchors, origin from the manifest, release not checked', async () => {
    const stdout = await runVerify(['verify', signed, '--json', '--trust-anchors', anchorsPath]);
    const report = JSON.parse(stdout);
    expect(report.c2pa).toMatchObject({ state: 'Trusted', failures: [], signer: { commonName: 'CLI Test Signer' } });
    expect(report.c2pa.claims.review).toMatchObject({ clipId: 'clip-cli-1', decision: 'approved', approvals: 2 });
    expect(report.origin).toEqual({ clipId: 'clip-cli-1', recoveredBy: 'c2pa' });
    expect(report.release).toEqual({ status: 'not_checked' });
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('offline in words: untrusted signer without anchors, and a file without any manifest', async () => {
    const untrusted = await runVerify(['verify', signed]);
    expect(untrusted).toContain('C2PA: Valid (signed by CLI Test Signer)');
    expect(untrusted).toContain('failures: signingCredential.untrusted');
    expect(untrusted).toContain('created by sora-2 (trainedAlgorithmicMedia)');
    expect(untrusted).toContain('review: approved by 2, policy policy-9, audit seq 3');
    expect(untrusted).toContain('origin: clip clip-cli-1 (found by c2pa)');
    expect(untrusted).toContain('release: not checked (offline; pass --server URL to ask a Provenant server)');

    const plain = await runVerify(['verify', unsigned]);
    expect(plain).toContain('C2PA: absent');
    expect(plain).toContain('origin: unknown');

    const bytes = await readFile(signed);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    const tampered = join(dir, 'tampered.mp4');
    await writeFile(tampered, bytes);
    const invalid = await runVerify(['verify', tampered, '--trust-anchors', anchorsPath]);
    expect(invalid).toContain('C2PA: Invalid (signed by CLI Test Signer)');
    expect(invalid).toContain('failures: assertion.bmffHash.mismatch');
    expect(invalid).toContain('what the manifest claims (not to be trusted: it failed validation):');
    expect(invalid).toContain('origin: unknown');
  });

  it('with --server uploads the file as multipart field "file" with the token and prints the server answer', async () => {
    const server = await FakeHttpServer.start();
    const answer = {
      c2pa: { state: 'absent', failures: [] },
      origin: { clipId: 'clip-9', recoveredBy: 'watermark' },
      release: { status: 'released', releasedAt: '2026-11-26T10:00:00.000Z', policyVersion: 'policy-9' },
    };
    server.route('POST', '/api/v1/verify', () => ({ json: answer }));
    try {
      const json = await runVerify(['verify', unsigned, '--server', server.url, '--token', 'access-token-1', '--json']);
      expect(JSON.parse(json)).toEqual(answer);
      const [request] = server.requests;
      expect(request.headers.authorization).toBe('Bearer access-token-1');
      expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const body = request.body;
      expect(body.toString('latin1')).toContain('Content-Disposition: form-data; name="file"; filename="plain.mp4"');
      expect(body.indexOf(await readFile(unsigned))).toBeGreaterThan(0);

      process.env.PROVENANT_TOKEN = 'pvk_publisher_key';
      const words = await runVerify(['verify', unsigned, '--server', `${server.url}/`]);
      expect(server.requests[1].headers['x-api-key']).toBe('pvk_publisher_key');
      expect(words).toContain('origin: clip clip-9 (found by watermark)');
      expect(words).toContain('release: released, releasedAt 2026-11-26T10:00:00.000Z, policyVersion policy-9');
    } finally {
      delete process.env.PROVENANT_TOKEN;
      await server.close();
    }
  });

  it('reports bad input and server refusals as errors with a message, not as a verdict', async () => {
    const notVideo = join(dir, 'notes.txt');
    await writeFile(notVideo, 'not a video');
    await expect(runVerify(['verify', notVideo])).rejects.toThrow(new CliError(`${notVideo} is not an MP4/MOV (ISO BMFF) file: it does not start with an ftyp box`, 2));
    await expect(runVerify(['verify', join(dir, 'missing.mp4')])).rejects.toThrow(/cannot open .*missing\.mp4: ENOENT/);
    await expect(runVerify(['verify', signed, '--trust-anchors', join(dir, 'none.pem')])).rejects.toThrow(/cannot read .*none\.pem: ENOENT/);

    const server = await FakeHttpServer.start();
    server.route('POST', '/api/v1/verify', () => ({ status: 401, json: { statusCode: 401, error: 'Unauthorized', message: 'invalid API key' } }));
    try {
      await expect(runVerify(['verify', unsigned, '--server', server.url, '--token', 'pvk_wrong'])).rejects.toThrow(
        'server answered 401: invalid API key',
      );
      await expect(runVerify(['verify', unsigned, '--server', server.url])).rejects.toThrow(/no credentials/);
    } finally {
      await server.close();
    }
    await expect(runVerify(['verify', unsigned, '--server', server.url, '--token', 't'])).rejects.toThrow(/cannot reach/);
  });
});

/** Runs `provenant <args>` on a program with just this command and returns what it printed. */
async function runVerify(args: string[]): Promise<string> {
  const program = new Command('provenant').exitOverride();
  registerVerifyCommands(program);
  const printed: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(chunk.toString());
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return printed.join('');
}
