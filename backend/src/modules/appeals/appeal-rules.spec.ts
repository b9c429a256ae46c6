import { appealStatus, refuseAppeal, refuseAppealDecision, type AppealClip } from './appeal-rules';

const ID = '00000000-0000-4000-8000-000000000001';
const creator = 'creator-id';
const senior = 'senior-id';
const blockedPrompt: AppealClip = { state: 'BLOCKED', source: 'prompt', createdBy: creator, mediaSha256: null };

describe('who may appeal which block', () => {
  it('lets the submitter appeal a prompt blocked before generation', () => {
    expect(refuseAppeal(ID, blockedPrompt, creator, null)).toBeNull();
  });

  it('refuses anyone but the submitter', () => {
    expect(refuseAppeal(ID, blockedPrompt, senior, null)).toEqual({ status: 403, message: expect.stringMatching(/only the person who submitted it may appeal/) });
  });

  it.each([
    ['a clip that is not blocked', { state: 'AWAITING_REVIEW' }, /is AWAITING_REVIEW; only a prompt blocked before generation/],
    ['a blocked upload', { source: 'upload' }, /is an upload; .*override/],
    ['a prompt blocked after generation', { mediaSha256: 'ab'.repeat(32) }, /was blocked after generation; .*override/],
  ] as const)('refuses %s with 409', (_, change, message) => {
    expect(refuseAppeal(ID, { ...blockedPrompt, ...change }, creator, null)).toEqual({ status: 409, message: expect.stringMatching(message) });
  });

  it.each([null, 'grant', 'deny'] as const)('refuses a second appeal whatever became of the first (%s)', (decision) => {
    expect(refuseAppeal(ID, blockedPrompt, creator, { decision })).toEqual({ status: 409, message: expect.stringMatching(/already appealed .* a block is appealed once/) });
  });
});

describe('deciding an appeal', () => {
  it('lets someone else decide a pending appeal of a blocked prompt', () => {
    expect(refuseAppealDecision(ID, blockedPrompt, senior, { decision: null })).toBeNull();
  });

  it('refuses a clip with no appeal, a decided appeal, the submitter and a clip no longer blocked', () => {
    expect(refuseAppealDecision(ID, blockedPrompt, senior, null)?.status).toBe(404);
    expect(refuseAppealDecision(ID, blockedPrompt, senior, { decision: 'deny' })).toEqual({ status: 409, message: `clip ${ID}: its appeal was already denied` });
    expect(refuseAppealDecision(ID, blockedPrompt, creator, { decision: null })).toEqual({ status: 403, message: expect.stringMatching(/you submitted it/) });
    expect(refuseAppealDecision(ID, { ...blockedPrompt, state: 'GENERATING' }, senior, { decision: null })?.status).toBe(409);
  });

  it('names the status of an appeal from its decision', () => {
    expect([null, 'grant', 'deny'].map((d) => appealStatus(d as never))).toEqual(['pending', 'granted', 'denied']);
  });
});
