import { LocalTextClassifier } from './local-text-classifier';
import { compileTemplates, RuleTemplateError } from './rule-template';

describe('LocalTextClassifier', () => {
  const classifier = new LocalTextClassifier();

  it('reports the matched span in the original text, after normalisation, with the rule id', () => {
    const text = 'ok so. I w1ll k\u200b-i-l-l you tomorrow';
    const result = classifier.classify(text);
    expect(result.scores['harassment/threatening']).toBeGreaterThanOrEqual(0.9);
    const match = result.matches.find((m) => m.category === 'harassment/threatening')!;
    expect(match.ruleId).toBe('threat.first-person-harm.v1');
    expect(match.normalised).toBe('i will kill you');
    expect(text.slice(match.start, match.end)).toBe(match.original);
    expect(match.original).toBe('I w1ll k\u200b-i-l-l you');
  });

  it('blocks a threat against a named third party through the relation it states, and says which', () => {
    const result = classifier.classify("I'm going to kill John Smith");
    expect(result.scores['harassment/threatening']).toBeGreaterThanOrEqual(0.9);
    const match = result.matches.find((m) => m.category === 'harassment/threatening')!;
    expect(match.ruleId).toBe('relation.intent.killing.v1');
    expect(match.relation).toEqual({ mood: 'intent', act: 'kill', actKind: 'killing', target: 'john smith', targetKind: 'named', framed: false });
    expect(match.original).toBe("I'm going to kill John Smith");
  });

  it('lets the structure overrule a threat phrase on a harmless reading', () => {
    for (const text of ["I'll shoot you a text later", "I'm going to beat my brother at chess tonight"]) {
      expect({ text, score: classifier.classify(text).scores['harassment/threatening'] }).toEqual({ text, score: expect.any(Number) });
      expect(classifier.classify(text).scores['harassment/threatening']).toBeLessThan(0.5);
    }
    expect(classifier.classify('I will shoot you').scores['harassment/threatening']).toBeGreaterThan(0.9);
  });

  it('scores every category, zero when nothing matched', () => {
    const result = classifier.classify('A golden retriever catching a frisbee on the beach');
    expect(Object.keys(result.scores)).toHaveLength(13);
    expect(Math.max(...Object.values(result.scores))).toBe(0);
    expect(result.matches).toEqual([]);
  });

  it('damps a match in a benign framing instead of dropping it, so minors still reach review', () => {
    const result = classifier.classify('Sex education curriculum for teenagers');
    expect(result.scores['sexual/minors']).toBeGreaterThan(0.2);
    expect(result.scores['sexual/minors']).toBeLessThan(0.4);
    expect(result.matches[0].ruleId).toMatch(/\+benign-framing$/);
  });

  it('scores profanity only as whole words and as harassment when aimed at "you"', () => {
    expect(classifier.classify('Spicy cumin and a cockpit tour').matches).toEqual([]);
    expect(classifier.classify('this traffic is shit').scores.harassment).toBeLessThan(0.5);
    const directed = classifier.classify('shut up, you are such a b1tch');
    expect(directed.scores.harassment).toBeGreaterThanOrEqual(0.8);
  });

  it('names scripts the English rules cannot read', () => {
    expect(classifier.classify('Я тебя убью, если ты придёшь').unreadableScripts).toEqual(['Cyrillic']);
    expect(classifier.classify('これは普通の文です').unreadableScripts).toEqual(['Han', 'Hiragana']);
    expect(classifier.classify('Кіll уоursеlf').unreadableScripts).toEqual([]);
    expect(classifier.classify('Make a short video of a cat on a sofa, then caption it: привет').unreadableScripts).toEqual([]);
  });

  it('classifies a prompt of the maximum accepted size (32 KiB) within a few seconds', () => {
    const long = 'a peaceful walk through a sunny meadow with friends. '.repeat(620) + 'i will stab you';
    const started = Date.now();
    const result = classifier.classify(long);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result.scores['harassment/threatening']).toBeGreaterThan(0.9);
  });
});

describe('compileTemplates', () => {
  it('rejects malformed templates and unknown lists with the template named', () => {
    expect(() => compileTemplates(['kill {you'], {})).toThrow(RuleTemplateError);
    expect(() => compileTemplates(['kill @victims'], {})).toThrow('unknown vocabulary list @victims');
    expect(() => compileTemplates(['Kill'], {})).toThrow('"Kill" is not a lower-case word');
  });

  it('tolerates repeated letters, run-together words and gaps', () => {
    const pattern = compileTemplates(['kill ~2 you'], {});
    expect('kiiilll you').toMatch(pattern);
    expect('killyou').toMatch(pattern);
    expect('kill all of you').toMatch(pattern);
    expect('skill you').not.toMatch(pattern);
    expect('kill. you').not.toMatch(pattern);
  });
});
