import { checkPromptText, MAX_PROMPT_BYTES } from './text-input-guard';

describe('checkPromptText', () => {
  it('passes ordinary prompts in any script through unchanged', () => {
    for (const text of ['A cat on a sofa', 'Кошка на диване', '沙发上的猫', 'قطة على الأريكة\n\twith tabs']) {
      expect(checkPromptText(text)).toBe(text);
    }
  });

  it('names the problem for empty, oversized and binary input', () => {
    expect(() => checkPromptText('')).toThrow(expect.objectContaining({ code: 'EMPTY_TEXT' }));
    expect(() => checkPromptText(42)).toThrow(expect.objectContaining({ code: 'EMPTY_TEXT' }));
    expect(() => checkPromptText('é'.repeat(MAX_PROMPT_BYTES / 2 + 1))).toThrow(expect.objectContaining({ code: 'TEXT_TOO_LONG', message: expect.stringContaining('the limit is 32768') }));
    expect(() => checkPromptText('abc\u0000def')).toThrow(expect.objectContaining({ code: 'BINARY_TEXT' }));
    expect(() => checkPromptText('broken \ud800 pair')).toThrow(expect.objectContaining({ code: 'BINARY_TEXT' }));
    expect(() => checkPromptText(Buffer.from([0xff, 0xfe, 0x01, 0x02, 0x41, 0x42, 0x9c, 0x80]).toString('utf8'))).toThrow(expect.objectContaining({ code: 'BINARY_TEXT' }));
  });
});
