import { ChildProcess, spawn } from 'node:child_process';
import { MediaProcessError, type MediaProcessErrorCode } from './run-process';

export interface FfmpegStreamOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Only the last this-many characters of stderr are kept (default 64 KiB); a caller that parses ffmpeg's log asks for more. */
  maxStderrBytes?: number;
}

const STDERR_KEEP = 64 * 1024;

/**
 * An ffmpeg process whose raw frames stream through our pipes, which
 * runProcess (buffered output, no input) cannot do. Same failure contract:
 * a deadline, abort support, SIGKILL to the whole process group, and
 * MediaProcessError carrying ffmpeg's last stderr lines.
 */
export class FfmpegStream {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private stderr = '';
  private failure: { code: MediaProcessErrorCode; message: string } | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () => this.kill('ABORTED', `${this.name} was aborted`);
  private readonly name: string;

  constructor(
    private readonly bin: string,
    args: string[],
    private readonly options: FfmpegStreamOptions,
  ) {
    this.name = bin.split('/').pop() ?? bin;
    this.child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, shell: false });
    const keep = options.maxStderrBytes ?? STDERR_KEEP;
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-keep);
    });
    // A consumer that stops early closes our end of the pipe; that is not an error in itself.
    this.child.stdin!.on('error', () => undefined);
    this.timer = setTimeout(() => this.kill('TIMEOUT', `${this.name} timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    if (options.signal?.aborted) this.onAbort();
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.exited = new Promise<void>((resolve, reject) => {
      this.child.on('error', (err) => {
        this.cleanUp();
        reject(new MediaProcessError('SPAWN', bin, `could not start ${bin}: ${err.message}`, null, ''));
      });
      this.child.on('close', (exitCode, signal) => {
        this.cleanUp();
        const tail = this.stderr.trimEnd().split('\n').slice(-12).join('\n').trim();
        if (this.failure) reject(new MediaProcessError(this.failure.code, bin, this.failure.message, exitCode, tail));
        else if (exitCode !== 0) {
          const how = exitCode === null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
          const last = tail.split('\n').pop();
          reject(new MediaProcessError('EXIT', bin, `${this.name} ${how}${last ? `: ${last}` : ''}`, exitCode, tail));
        } else resolve();
      });
    });
    // Callers await done(); until then a failure must not count as unhandled.
    this.exited.catch(() => undefined);
  }

  /** Yields stdout in blocks of exactly `frameBytes` (a trailing partial block is dropped). */
  async *frames(frameBytes: number): AsyncGenerator<Buffer> {
    let frame = Buffer.allocUnsafe(frameBytes);
    let filled = 0;
    for await (const chunk of this.child.stdout! as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - offset);
        chunk.copy(frame, filled, offset, offset + n);
        filled += n;
        offset += n;
        if (filled === frameBytes) {
          yield frame;
          frame = Buffer.allocUnsafe(frameBytes);
          filled = 0;
        }
      }
    }
  }

  /** Writes to stdin, waiting for the pipe to drain (backpressure). */
  async write(data: Buffer): Promise<void> {
    const stdin = this.child.stdin!;
    if (stdin.destroyed || this.failure) return;
    if (stdin.write(data)) return;
    await new Promise<void>((resolve) => {
      const settle = () => {
        stdin.off('drain', settle);
        stdin.off('close', settle);
        resolve();
      };
      stdin.on('drain', settle);
      stdin.on('close', settle);
    });
  }

  endInput(): void {
    this.child.stdin!.end();
  }

  /** Resolves when the process exited cleanly, rejects with MediaProcessError otherwise. */
  done(): Promise<void> {
    return this.exited;
  }

  /** What ffmpeg wrote to stderr (the kept tail); complete once done() resolved. */
  log(): string {
    return this.stderr;
  }

  kill(code: MediaProcessErrorCode, message: string): void {
    if (this.failure || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.failure = { code, message };
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  private cleanUp(): void {
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }
}
