import { REVIEW_DECISIONS } from './review';
import { REVIEW_REASON_CATALOG_VERSION, REVIEW_REASON_CODES, reviewReason } from './reason-codes';

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
