import { findPersonNames } from './person-names';

describe('findPersonNames', () => {
  it('finds full names with their spans in the original text', () => {
    const text = 'a portrait of Ada Quinlan on a beach, then Barack Obama giving a speech';
    expect(findPersonNames(text)).toEqual([
      { start: 14, end: 25, text: 'Ada Quinlan' },
      { start: 43, end: 55, text: 'Barack Obama' },
    ]);
  });

  it('drops one-word hits and finds nothing in a prompt without people', () => {
    expect(findPersonNames('Taylor on stage, then tom hanks eating')).toEqual([]);
    expect(findPersonNames('a paper boat on a puddle at dawn')).toEqual([]);
  });
});
