/** One dispatched server-sent event. */
export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

/**
 * Incremental parser for the `text/event-stream` format (WHATWG HTML §9.2.6).
 * We read the stream through fetch rather than EventSource because
 * EventSource cannot send an Authorization header. Feed it decoded text in
 * whatever chunks the network delivers; it returns the events completed so far.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private hasData = false;
  private lastEventId: string | null = null;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    let lineEnd: number;
    while ((lineEnd = this.buffer.search(/\r\n|\r|\n/)) !== -1) {
      // A lone trailing \r may be the first half of \r\n: wait for the next chunk.
      if (this.buffer[lineEnd] === '\r' && lineEnd === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, lineEnd);
      this.buffer = this.buffer.slice(lineEnd + (this.buffer.startsWith('\r\n', lineEnd) ? 2 : 1));
      const message = this.processLine(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private processLine(line: string): SseMessage | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null; // comment, used by servers as a keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.data.push(value);
      this.hasData = true;
    } else if (field === 'event') {
      this.event = value;
    } else if (field === 'id' && !value.includes('\0')) {
      this.lastEventId = value;
    }
    return null;
  }

  private dispatch(): SseMessage | null {
    const message = this.hasData ? { event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId } : null;
    this.event = '';
    this.data = [];
    this.hasData = false;
    return message;
  }
}
