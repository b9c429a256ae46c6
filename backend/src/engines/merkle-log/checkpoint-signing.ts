import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { type Checkpoint, formatCheckpointBody, parseCheckpointBody } from './checkpoint';
import { CheckpointFormatError, CheckpointKeyError, CheckpointSignatureError } from './errors';

/**
 * Checkpoints travel as C2SP signed notes: the checkpoint body, a blank
 * line, then `— <key name> <base64(key id ‖ Ed25519 signature)>`. The key
 * name is the log origin; the key id is the first 4 bytes of
 * SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), as the spec recommends.
 */

const ED25519_SIGNATURE_TYPE = 0x01;
const SIGNATURE_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/u;

export interface DevelopmentKey {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh Ed25519 key pair in PEM (PKCS#8 / SPKI), for development and tests. */
export function generateDevelopmentKey(): DevelopmentKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

export class CheckpointSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
  ) {}

  static fromPrivateKeyPem(privateKeyPem: string): CheckpointSigner {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(privateKeyPem);
    } catch (error) {
      throw new CheckpointKeyError(`private key PEM is unreadable: ${(error as Error).message}`);
    }
    requireEd25519(privateKey, 'private');
    return new CheckpointSigner(privateKey, createPublicKey(privateKey));
  }

  get publicKeyPem(): string {
    return this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /** The signed note for `checkpoint`, signed under the name `checkpoint.origin`. */
  sign(checkpoint: Checkpoint): string {
    const body = formatCheckpointBody(checkpoint);
    const signature = sign(null, Buffer.from(body, 'utf8'), this.privateKey);
    const blob = Buffer.concat([keyId(checkpoint.origin, this.publicKey), signature]);
    return `${body}\n\u2014 ${checkpoint.origin} ${blob.toString('base64')}\n`;
  }
}

/**
 * The checkpoint in `note` once a signature by `publicKeyPem` under the
 * note's origin verifies (and the origin is `expectedOrigin`, when given).
 * Signatures by other keys (witnesses) are ignored, as the spec requires.
 */
export function openSignedCheckpoint(note: string, publicKeyPem: string, expectedOrigin?: string): Checkpoint {
  const publicKey = readPublicKey(publicKeyPem);
  if (typeof note !== 'string') throw new CheckpointFormatError('signed checkpoint must be text');
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new CheckpointFormatError('signed checkpoint has no signature block');
  const body = note.slice(0, split + 1);
  const origin = body.slice(0, body.indexOf('\n'));
  if (expectedOrigin !== undefined && origin !== expectedOrigin) {
    throw new CheckpointSignatureError(`checkpoint is for log ${JSON.stringify(origin)}, not ${JSON.stringify(expectedOrigin)}`);
  }
  const ours = keyId(origin, publicKey);
  const signatures = note
    .slice(split + 2, -1)
    .split('\n')
    .map((line) => {
      const match = SIGNATURE_LINE.exec(line);
      if (!match) throw new CheckpointFormatError(`malformed signature line: ${JSON.stringify(line)}`);
      return { name: match[1], blob: Buffer.from(match[2], 'base64') };
    });
  let candidates = 0;
  for (const { name, blob } of signatures) {
    if (name !== origin || blob.length !== 4 + 64 || !blob.subarray(0, 4).equals(ours)) continue;
    candidates += 1;
    if (verify(null, Buffer.from(body, 'utf8'), publicKey, blob.subarray(4))) return parseCheckpointBody(body);
  }
  throw new CheckpointSignatureError(
    candidates === 0
      ? `checkpoint carries no signature by this key under ${JSON.stringify(origin)}`
      : 'checkpoint signature does not verify: the note was altered or signed by another key',
  );
}

/** The Ed25519 public key in `publicKeyPem`; throws CheckpointKeyError naming what is wrong. */
export function readPublicKey(publicKeyPem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch (error) {
    throw new CheckpointKeyError(`public key PEM is unreadable: ${(error as Error).message}`);
  }
  requireEd25519(key, 'public');
  return key;
}

function requireEd25519(key: KeyObject, which: 'private' | 'public'): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new CheckpointKeyError(`${which} key must be Ed25519, got ${key.asymmetricKeyType ?? key.type}`);
  }
}

function keyId(name: string, publicKey: KeyObject): Buffer {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ED25519_SIGNATURE_TYPE]))
    .update(raw)
    .digest()
    .subarray(0, 4);
}
