import { parseByteRange } from './byte-range';

describe('parseByteRange', () => {
  const size = 1000;

  it('serves the whole file without a header', () => {
    expect(parseByteRange(undefined, size)).toEqual({ kind: 'whole' });
  });

  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=0-', 0, 999],
    ['bytes=500-', 500, 999],
    ['bytes=990-5000', 990, 999],
    ['bytes=-100', 900, 999],
    ['bytes=-5000', 0, 999],
    [' bytes=10-19 ', 10, 19],
  ])('%s is bytes %i to %i', (header, start, end) => {
    expect(parseByteRange(header, size)).toEqual({ kind: 'part', start, end });
  });

  it.each([
    ['bytes=1000-', 'starts at byte 1000, beyond the file'],
    ['bytes=50-10', 'ends (byte 10) before it starts (byte 50)'],
    ['bytes=-0', 'at least one byte'],
    ['bytes=0-1,5-9', 'only one byte range'],
    ['bytes=-', 'is not a byte range'],
    ['items=0-1', 'is not a byte range'],
    ['bytes=a-b', 'is not a byte range'],
  ])('%s cannot be satisfied: %s', (header, problem) => {
    const range = parseByteRange(header, size);
    expect(range.kind).toBe('unsatisfiable');
    expect(range.kind === 'unsatisfiable' && range.problem).toContain(problem);
  });
});
