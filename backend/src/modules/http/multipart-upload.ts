import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import { ContentTooLargeError, type ContentStore, type StagedFile } from '../../engines/storage/content-store';

// Extra text fields are ignored; more parts than this are refused.
const MAX_FIELDS = 4;

export interface MultipartUploadOptions {
  /** The file's size limit; past it the upload is aborted and its scratch file deleted. */
  maxBytes: number;
  /** Text fields kept (others are ignored). */
  fields?: readonly string[];
  /** Longest accepted text field, in bytes. */
  fieldSize?: number;
}

export interface MultipartUpload {
  /** The one `file` part, streamed into the store's scratch area while hashed; the caller commits or discards it. */
  staged: StagedFile | null;
  fields: Record<string, string>;
}

/**
 * Receives a multipart/form-data body with at most one file part named
 * `file`, streaming it into the content store's scratch area (never into
 * memory) under a size limit. On any refusal the partial file is deleted and
 * the error is a 4xx naming the field.
 */
export function receiveMultipartUpload(req: Request, store: ContentStore, options: MultipartUploadOptions): Promise<MultipartUpload> {
  const wanted = new Set(options.fields ?? []);
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: MAX_FIELDS, parts: MAX_FIELDS + 2, fieldSize: options.fieldSize ?? 1024 } });
    } catch {
      return reject(new BadRequestException('body: expected multipart/form-data with a "file" field'));
    }
    const fields: Record<string, string> = {};
    let upload: Promise<StagedFile> | null = null;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume();
      void upload?.then((s) => store.discard(s.tempPath), () => undefined);
      reject(err);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new BadRequestException(`${name}: field is too long`));
      if (wanted.has(name)) fields[name] = value;
    });
    parser.on('file', (name, stream) => {
      if (name !== 'file' || upload) {
        stream.resume();
        return fail(new BadRequestException(`${name}: unexpected file field; send exactly one "file"`));
      }
      upload = store.stage(stream, { maxBytes: options.maxBytes });
      upload.catch((err) => fail(err instanceof ContentTooLargeError ? new PayloadTooLargeException(`file: larger than the limit of ${err.limitBytes} bytes`) : err));
    });
    parser.on('filesLimit', () => fail(new BadRequestException('file: send exactly one file')));
    parser.on('partsLimit', () => fail(new BadRequestException('body: too many multipart parts')));
    parser.on('error', (err: Error) => fail(new BadRequestException(`body: malformed multipart data (${err.message})`)));
    parser.on('close', () => {
      if (failed) return;
      (upload ?? Promise.resolve(null)).then((staged) => resolve({ staged, fields }), () => undefined);
    });
    req.pipe(parser);
  });
}
