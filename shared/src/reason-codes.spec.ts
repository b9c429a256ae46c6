import { APPEAL_DECISIONS } from './appeal';
import { REVIEW_DECISIONS } from './review';
import { APPEAL_REASON_CATALOG_VERSION, APPEAL_REASON_CODES, appealReason, REVIEW_REASON_CATALOG_VERSION, REVIEW_REASON_CODES, reviewReason } from './reason-codes';

describe('review reason catalog', () => {
  it('is versioned and has codes for every decision, each named after its decision and used once', () => {
    expect(REVIEW_REASON_CATALOG_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    const all = REVIEW_DECISIONS.flatMap((d) => REVIEW_REASON_CODES[d].map((r) => r.code));
    expect(new Set(all).size).toBe(all.length);
    for (const d of REVIEW_DECISIONS) {
      expect(REVIEW_REASON_CODES[d].length).toBeGreaterThan(0);
      for (const r of REVIEW_REASON_CODES[d]) expect(r.code.startsWith(`${d.toUpperCase()}_`)).toBe(true);
    }
  });

  it('finds a code only under its own decision', () => {
    expect(reviewReason('reject', 'REJECT_LIKENESS')).toEqual({ code: 'REJECT_LIKENESS', label: expect.any(String) });
    expect(reviewReason('approve', 'REJECT_LIKENESS')).toBeNull();
    expect(reviewReason('escalate', 'NOPE')).toBeNull();
  });
});

describe('appeal reason catalog', () => {
  it('is versioned and has codes for granting and denying, each named after its decision and used once', () => {
    expect(APPEAL_REASON_CATALOG_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    const all = APPEAL_DECISIONS.flatMap((d) => APPEAL_REASON_CODES[d].map((r) => r.code));
    expect(new Set(all).size).toBe(all.length);
    for (const d of APPEAL_DECISIONS) for (const r of APPEAL_REASON_CODES[d]) expect(r.code.startsWith(`${d.toUpperCase()}_`)).toBe(true);
    expect(appealReason('grant', 'GRANT_FALSE_POSITIVE')).toEqual({ code: 'GRANT_FALSE_POSITIVE', label: expect.any(String) });
    expect(appealReason('deny', 'GRANT_FALSE_POSITIVE')).toBeNull();
  });
});
