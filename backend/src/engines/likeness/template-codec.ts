/**
 * A face template as bytes for storage (the registry encrypts them; this is
 * only the layout): "PVFT", version byte 1, model-version length (u16 LE),
 * model version (UTF-8), value count (u32 LE), then the values as float32 LE.
 */
const MAGIC = Buffer.from('PVFT', 'ascii');
const FORMAT = 1;
const MAX_VALUES = 1 << 16;

export interface StoredEmbedding {
  modelVersion: string;
  embedding: Float32Array;
}

export function encodeTemplate({ modelVersion, embedding }: StoredEmbedding): Buffer {
  const version = Buffer.from(modelVersion, 'utf8');
  if (version.length === 0 || version.length > 255) throw new RangeError('model version must be 1 to 255 bytes');
  if (embedding.length === 0 || embedding.length > MAX_VALUES) throw new RangeError(`an embedding has 1 to ${MAX_VALUES} values, got ${embedding.length}`);
  const out = Buffer.alloc(4 + 1 + 2 + version.length + 4 + embedding.length * 4);
  let o = MAGIC.copy(out, 0);
  o = out.writeUInt8(FORMAT, o);
  o = out.writeUInt16LE(version.length, o);
  o += version.copy(out, o);
  o = out.writeUInt32LE(embedding.length, o);
  for (const v of embedding) {
    if (!Number.isFinite(v)) throw new RangeError('an embedding value is not finite');
    o = out.writeFloatLE(v, o);
  }
  return out;
}

export function decodeTemplate(bytes: Uint8Array): StoredEmbedding {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string): never => {
    throw new Error(`not a face template: ${why}`);
  };
  if (buf.length < 11 || !buf.subarray(0, 4).equals(MAGIC)) fail('bad magic');
  if (buf.readUInt8(4) !== FORMAT) fail(`unknown format ${buf.readUInt8(4)}`);
  const vlen = buf.readUInt16LE(5);
  if (vlen === 0 || 7 + vlen + 4 > buf.length) fail('truncated model version');
  const modelVersion = buf.toString('utf8', 7, 7 + vlen);
  const count = buf.readUInt32LE(7 + vlen);
  const start = 7 + vlen + 4;
  if (count === 0 || count > MAX_VALUES || buf.length !== start + count * 4) fail(`expected ${count} float32 values, have ${buf.length - start} bytes`);
  const embedding = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    embedding[i] = buf.readFloatLE(start + i * 4);
    if (!Number.isFinite(embedding[i])) fail('a value is not finite');
  }
  return { modelVersion, embedding };
}
