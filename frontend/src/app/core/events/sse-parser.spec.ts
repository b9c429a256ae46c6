import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('dispatches an event only at the blank line that ends it', () => {
    const parser = new SseParser();
    expect(parser.push('data: {"clipId":"a"}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: '{"clipId":"a"}', id: null }]);
  });

  it('reassembles events split anywhere across chunks, including inside a CRLF', () => {
    const stream = 'id: 7\r\nevent: clip\r\ndata: {"state":"GENERATING"}\r\n\r\ndata: second\r\n\r\n';
    for (let cut = 1; cut < stream.length; cut++) {
      const parser = new SseParser();
      const messages = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
      expect(messages).toEqual([
        { event: 'clip', data: '{"state":"GENERATING"}', id: '7' },
        { event: 'message', data: 'second', id: '7' },
      ]);
    }
  });

  it('joins multi-line data with newlines, ignores comments and removes only one leading space', () => {
    const parser = new SseParser();
    const messages = parser.push(': keep-alive\n\ndata:  two spaces\ndata:none\rdata\n\n');
    expect(messages).toEqual([{ event: 'message', data: ' two spaces\nnone\n', id: null }]);
  });

  it('drops a block without data and ignores unknown fields', () => {
    const parser = new SseParser();
    expect(parser.push('event: ping\nretry: 5000\nfoo: bar\n\n')).toEqual([]);
    expect(parser.push('data: x\n\n')).toEqual([{ event: 'message', data: 'x', id: null }]);
  });
});
