import { Injectable, inject, signal } from '@angular/core';
import { Observable, share, timer } from 'rxjs';
import { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { type ClipEventDto, ClipStateMachine, SESSION_ENDED_EVENT, SseParser } from '@provenant/shared';

export type ClipStreamStatus = 'offline' | 'connecting' | 'live' | 'reconnecting';

/**
 * `open` is emitted each time the stream (re)connects: events sent while it
 * was down are lost, so listeners refetch what they show.
 */
export type ClipStreamMessage = { type: 'open' } | { type: 'clip'; event: ClipEventDto };

const EVENTS_PATH = '/api/v1/clips/events';
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** Moving between the list and a clip keeps the one connection instead of reopening it. */
const KEEP_OPEN_WITHOUT_LISTENERS_MS = 5_000;

/** Live clip changes from the API's server-sent event stream, reconnecting with backoff. */
@Injectable({ providedIn: 'root' })
export class ClipEvents {
  private readonly api = inject(ApiClient);
  readonly status = signal<ClipStreamStatus>('offline');

  readonly messages: Observable<ClipStreamMessage> = new Observable<ClipStreamMessage>((subscriber) => {
    const abort = new AbortController();
    void this.follow(abort.signal, (message) => subscriber.next(message));
    return () => {
      abort.abort();
      this.status.set('offline');
    };
  }).pipe(share({ resetOnRefCountZero: () => timer(KEEP_OPEN_WITHOUT_LISTENERS_MS) }));

  /** Runs until aborted; an aborted loop never touches `status`, which by then belongs to the next connection. */
  private async follow(signal: AbortSignal, emit: (message: ClipStreamMessage) => void): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      this.status.set(failures === 0 ? 'connecting' : 'reconnecting');
      try {
        const response = await this.api.open(EVENTS_PATH, {
          headers: { Accept: 'text/event-stream' },
          cache: 'no-store',
          signal,
        });
        if (signal.aborted) break;
        failures = 0;
        this.status.set('live');
        emit({ type: 'open' });
        // The server ends a stream whose token expired or whose account changed: reconnect at once, with a fresh token.
        if ((await readEvents(response, emit)) === 'session_ended') continue;
      } catch (error) {
        // A 401 that survived a refresh has already ended the session and sent the user to login.
        if (signal.aborted || (error instanceof ApiError && error.status === 401)) break;
      }
      if (signal.aborted) break;
      failures += 1;
      this.status.set('reconnecting');
      await sleep(retryDelayMs(failures), signal);
    }
    if (!signal.aborted) this.status.set('offline');
  }
}

/** Reads until the stream ends: 'session_ended' when the server said why it ended it. */
async function readEvents(response: Response, emit: (message: ClipStreamMessage) => void): Promise<'closed' | 'session_ended'> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.startsWith('text/event-stream') || !response.body) {
    throw new Error(`expected a text/event-stream response from ${EVENTS_PATH}, got "${type}"`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return 'closed';
    for (const message of parser.push(value)) {
      if (message.event === SESSION_ENDED_EVENT) {
        await reader.cancel();
        return 'session_ended';
      }
      const event = toClipEvent(message.data);
      if (event) emit({ type: 'clip', event });
    }
  }
}

function toClipEvent(data: string): ClipEventDto | null {
  try {
    const value = JSON.parse(data) as Partial<ClipEventDto>;
    if (typeof value.clipId === 'string' && ClipStateMachine.isState(value.state)) return value as ClipEventDto;
  } catch {
    // fall through to the warning below
  }
  console.warn('Ignoring an event-stream message that is not a clip event:', data);
  return null;
}

/** Exponential backoff with jitter, so many consoles do not reconnect in lockstep after an API restart. */
function retryDelayMs(failures: number): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timeout = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timeout);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
