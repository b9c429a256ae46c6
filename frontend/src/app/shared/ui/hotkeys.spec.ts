import { shortcutOf } from './hotkeys';

const press = (key: string, target: { tagName: string } | null = { tagName: 'BODY' }, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) =>
  shortcutOf({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods, target: target as unknown as EventTarget });

describe('shortcutOf', () => {
  it('maps the workbench keys', () => {
    expect(press('n')).toEqual({ kind: 'claim-next' });
    expect(press('N')).toEqual({ kind: 'claim-next' });
    expect(press('a')).toEqual({ kind: 'decide', decision: 'approve' });
    expect(press('r')).toEqual({ kind: 'decide', decision: 'reject' });
    expect(press('e')).toEqual({ kind: 'decide', decision: 'escalate' });
    expect(press('3')).toEqual({ kind: 'reason', index: 2 });
    expect(press(' ')).toEqual({ kind: 'play-pause' });
    expect(press(',')).toEqual({ kind: 'frame', step: -1 });
    expect(press('.')).toEqual({ kind: 'frame', step: 1 });
    expect(press('b')).toEqual({ kind: 'reveal' });
    expect(press('?')).toEqual({ kind: 'help' });
    expect(press('x')).toBeNull();
    expect(press('0')).toBeNull();
  });

  it('stays out of the way while typing, with modifiers, and of a focused button’s Space', () => {
    expect(press('a', { tagName: 'TEXTAREA' })).toBeNull();
    expect(press('n', { tagName: 'INPUT' })).toBeNull();
    expect(press('1', { tagName: 'SELECT' })).toBeNull();
    expect(press('r', undefined, { ctrlKey: true })).toBeNull();
    expect(press(' ', { tagName: 'BUTTON' })).toBeNull();
    expect(press('a', { tagName: 'BUTTON' })).toEqual({ kind: 'decide', decision: 'approve' });
  });
});
