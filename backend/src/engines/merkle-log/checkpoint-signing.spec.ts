import { generateKeyPairSync } from 'node:crypto';
import { type Checkpoint, formatCheckpointBody, parseCheckpointBody } from './checkpoint';
import { CheckpointSigner, generateDevelopmentKey, openSignedCheckpoint } from './checkpoint-signing';
import { CheckpointFormatError, CheckpointKeyError, CheckpointSignatureError } from './errors';
import { hashLeaf } from './tree-hash';

const checkpoint: Checkpoint = {
  origin: 'provenant.example/audit',
  treeSize: 1234,
  rootHash: hashLeaf(Buffer.from('root')),
  timestamp: '2025-03-01T12:34:56.789Z',
};

describe('checkpoint text', () => {
  it('lays the body out as origin, size, base64 root and a timestamp line', () => {
    expect(formatCheckpointBody(checkpoint)).toBe(
      `provenant.example/audit\n1234\n${checkpoint.rootHash.toString('base64')}\ntimestamp 2025-03-01T12:34:56.789Z\n`,
    );
    expect(parseCheckpointBody(formatCheckpointBody(checkpoint))).toEqual(checkpoint);
  });

  it.each([
    ['a missing final newline', (b: string) => b.slice(0, -1), /end with a newline/],
    ['a leading zero in the size', (b: string) => b.replace('\n1234\n', '\n01234\n'), /tree size line/],
    ['a short root hash', (b: string) => b.replace(/\n[A-Za-z0-9+/]{43}=\n/, '\nAAAA\n'), /root hash line/],
    ['a missing timestamp', (b: string) => b.replace(/timestamp .*\n/, ''), /4 lines/],
    ['an impossible date', (b: string) => b.replace('2025-03-01', '2025-02-30'), /timestamp must be/],
    ['a space in the origin', (b: string) => b.replace('provenant.example/audit', 'provenant example'), /origin/],
  ])('refuses %s', (_label, edit, message) => {
    expect(() => parseCheckpointBody(edit(formatCheckpointBody(checkpoint)))).toThrow(CheckpointFormatError);
    expect(() => parseCheckpointBody(edit(formatCheckpointBody(checkpoint)))).toThrow(message);
  });

  it('refuses to format a checkpoint with a bad field', () => {
    expect(() => formatCheckpointBody({ ...checkpoint, treeSize: -1 })).toThrow(CheckpointFormatError);
    expect(() => formatCheckpointBody({ ...checkpoint, rootHash: Buffer.alloc(3) })).toThrow(/32 bytes/);
    expect(() => formatCheckpointBody({ ...checkpoint, origin: 'a+b' })).toThrow(/origin/);
    expect(() => formatCheckpointBody({ ...checkpoint, timestamp: '2025-03-01T12:34:56Z' })).toThrow(/milliseconds/);
  });
});

describe('signed checkpoints (C2SP signed note, Ed25519)', () => {
  const key = generateDevelopmentKey();
  const signer = CheckpointSigner.fromPrivateKeyPem(key.privateKeyPem);
  const note = signer.sign(checkpoint);

  it('signs in the signed-note layout and opens with the public key', () => {
    const [body, signatures] = note.split('\n\n');
    expect(`${body}\n`).toBe(formatCheckpointBody(checkpoint));
    expect(signatures).toMatch(/^\u2014 provenant\.example\/audit [A-Za-z0-9+/]{91}=\n$/u);
    expect(Buffer.from(signatures.split(' ')[2], 'base64')).toHaveLength(4 + 64);
    expect(openSignedCheckpoint(note, key.publicKeyPem)).toEqual(checkpoint);
    expect(openSignedCheckpoint(note, signer.publicKeyPem, 'provenant.example/audit')).toEqual(checkpoint);
  });

  it('gives stable key ids: two notes by one key carry the same 4-byte id', () => {
    const other = signer.sign({ ...checkpoint, treeSize: 99 });
    const id = (n: string) => Buffer.from(n.split('\u2014 ')[1].split(' ')[1], 'base64').subarray(0, 4).toString('hex');
    expect(id(other)).toBe(id(note));
  });

  it.each([
    ['tree size', (n: string) => n.replace('\n1234\n', '\n1235\n')],
    ['root hash', (n: string) => n.replace(checkpoint.rootHash.toString('base64'), hashLeaf(Buffer.from('x')).toString('base64'))],
    ['timestamp', (n: string) => n.replace('12:34:56.789Z', '12:34:57.789Z')],
    ['signature', (n: string) => n.replace(/ ([A-Za-z0-9+/])([A-Za-z0-9+/]{90}=)\n$/, (_m, c: string, rest: string) => ` ${c === 'A' ? 'B' : 'A'}${rest}\n`)],
  ])('detects an edited %s', (_label, edit) => {
    const edited = edit(note);
    expect(edited).not.toBe(note);
    expect(() => openSignedCheckpoint(edited, key.publicKeyPem)).toThrow(CheckpointSignatureError);
  });

  it('detects an edited origin (the signature no longer belongs to that name)', () => {
    const edited = note.replace(/provenant\.example\/audit/g, 'other.example/audit');
    expect(() => openSignedCheckpoint(edited, key.publicKeyPem)).toThrow(/no signature by this key/);
  });

  it('refuses a checkpoint of another log, and one signed by another key', () => {
    expect(() => openSignedCheckpoint(note, key.publicKeyPem, 'other.example/log')).toThrow(/not "other.example\/log"/);
    expect(() => openSignedCheckpoint(note, generateDevelopmentKey().publicKeyPem)).toThrow(/no signature by this key/);
  });

  it('ignores signatures of other keys (witnesses) and still finds its own', () => {
    const witness = CheckpointSigner.fromPrivateKeyPem(generateDevelopmentKey().privateKeyPem);
    const cosigned = note + witness.sign(checkpoint).split('\n\n')[1];
    expect(openSignedCheckpoint(cosigned, key.publicKeyPem)).toEqual(checkpoint);
    expect(openSignedCheckpoint(cosigned, witness.publicKeyPem)).toEqual(checkpoint);
  });

  it('names malformed notes', () => {
    expect(() => openSignedCheckpoint(formatCheckpointBody(checkpoint), key.publicKeyPem)).toThrow(CheckpointFormatError);
    expect(() => openSignedCheckpoint(`${note}garbage\n`, key.publicKeyPem)).toThrow(/malformed signature line/);
  });

  it('accepts only readable Ed25519 keys', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => CheckpointSigner.fromPrivateKeyPem('not a key')).toThrow(CheckpointKeyError);
    expect(() => CheckpointSigner.fromPrivateKeyPem(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(
      /must be Ed25519, got ec/,
    );
    expect(() => openSignedCheckpoint(note, 'garbage')).toThrow(CheckpointKeyError);
    expect(() => openSignedCheckpoint(note, ec.publicKey.export({ format: 'pem', type: 'spki' }).toString())).toThrow(/must be Ed25519/);
  });
});
