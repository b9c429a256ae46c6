import { spawn } from 'node:child_process';

/** NO_OUTPUT: the tool exited cleanly but did not write what it was asked to. */
export type MediaProcessErrorCode = 'TIMEOUT' | 'EXIT' | 'SPAWN' | 'ABORTED' | 'OUTPUT_LIMIT' | 'NO_OUTPUT';

const STDERR_TAIL_LINES = 12;

export class MediaProcessError extends Error {
  constructor(
    readonly code: MediaProcessErrorCode,
    readonly bin: string,
    message: string,
    readonly exitCode: number | null,
    /** The last lines ffmpeg/ffprobe wrote to stderr, where they explain failures. */
    readonly stderrTail: string,
  ) {
    super(message);
    this.name = 'MediaProcessError';
  }
}

export interface RunProcessOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Exceeding this kills the process with code OUTPUT_LIMIT (default 16 MiB). */
  maxStdoutBytes?: number;
  /** Only the last this-many bytes of stderr are kept (default 1 MiB). */
  maxStderrBytes?: number;
}

export interface ProcessOutput {
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a media tool without a shell, with a hard deadline. On timeout, abort
 * or runaway output the whole process group gets SIGKILL: ffmpeg may be stuck
 * in a decoder and ignore gentler signals.
 */
export function runProcess(bin: string, args: string[], options: RunProcessOptions): Promise<ProcessOutput> {
  const maxStdout = options.maxStdoutBytes ?? 16 * 1024 * 1024;
  const maxStderr = options.maxStderrBytes ?? 1024 * 1024;
  const name = bin.split('/').pop() ?? bin;

  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new MediaProcessError('ABORTED', bin, `${name} was aborted before it started`, null, ''));
      return;
    }
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: false });
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let failure: { code: MediaProcessErrorCode; message: string } | null = null;
    let settled = false;

    const kill = (code: MediaProcessErrorCode, message: string) => {
      if (failure) return;
      failure = { code, message };
      try {
        // Negative pid: the group created by `detached`, so helpers die too.
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill('TIMEOUT', `${name} timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = () => kill('ABORTED', `${name} was aborted`);
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (error: MediaProcessError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve({ stdout: Buffer.concat(stdoutChunks), stderr });
    };

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        kill('OUTPUT_LIMIT', `${name} wrote more than ${maxStdout} bytes to stdout`);
        return;
      }
      stdoutChunks.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > maxStderr) stderr = stderr.slice(stderr.length - maxStderr);
    });

    child.on('error', (err) => {
      finish(new MediaProcessError('SPAWN', bin, `could not start ${bin}: ${err.message}`, null, ''));
    });
    child.on('close', (exitCode, signal) => {
      const tail = lastLines(stderr, STDERR_TAIL_LINES);
      if (failure) {
        finish(new MediaProcessError(failure.code, bin, failure.message, exitCode, tail));
      } else if (exitCode !== 0) {
        const how = exitCode === null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
        const lastLine = lastLines(stderr, 1);
        finish(new MediaProcessError('EXIT', bin, `${name} ${how}${lastLine ? `: ${lastLine}` : ''}`, exitCode, tail));
      } else {
        finish(null);
      }
    });
  });
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n').trim();
}
