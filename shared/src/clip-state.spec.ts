import { CLIP_STATES, CLIP_TRANSITIONS, ClipStateMachine, IllegalTransitionError, type ClipState } from './clip-state';

describe('ClipStateMachine', () => {
  it('allows exactly the transitions in the table and refuses every other pair', () => {
    for (const from of CLIP_STATES) {
      for (const to of CLIP_STATES) {
        const listed = CLIP_TRANSITIONS[from].includes(to);
        expect(ClipStateMachine.canTransition(from, to)).toBe(listed);
        if (listed) expect(() => ClipStateMachine.assertTransition(from, to)).not.toThrow();
        else expect(() => ClipStateMachine.assertTransition(from, to)).toThrow(IllegalTransitionError);
      }
    }
  });

  it('cannot release a clip without approval and signing', () => {
    const intoReleased = CLIP_STATES.filter((s) => ClipStateMachine.canTransition(s, 'RELEASED'));
    expect(intoReleased).toEqual(['SIGNING']);
    const intoSigning = CLIP_STATES.filter((s) => ClipStateMachine.canTransition(s, 'SIGNING'));
    expect(intoSigning).toEqual(['APPROVED']);
    const intoApproved = CLIP_STATES.filter((s) => ClipStateMachine.canTransition(s, 'APPROVED'));
    expect(intoApproved).toEqual(['AWAITING_REVIEW']);
  });

  it('reaches every state from SUBMITTED and treats RELEASED and FAILED as terminal', () => {
    const seen = new Set<ClipState>(['SUBMITTED']);
    const queue: ClipState[] = ['SUBMITTED'];
    while (queue.length) for (const next of CLIP_TRANSITIONS[queue.shift()!]) if (!seen.has(next)) (seen.add(next), queue.push(next));
    expect([...seen].sort()).toEqual([...CLIP_STATES].sort());
    expect(ClipStateMachine.isTerminal('RELEASED')).toBe(true);
    expect(ClipStateMachine.isTerminal('FAILED')).toBe(true);
    expect(ClipStateMachine.isTerminal('REJECTED')).toBe(false);
  });

  it('recognises only known state names', () => {
    expect(ClipStateMachine.isState('AWAITING_REVIEW')).toBe(true);
    expect(ClipStateMachine.isState('awaiting_review')).toBe(false);
    expect(ClipStateMachine.isState(42)).toBe(false);
  });
});
