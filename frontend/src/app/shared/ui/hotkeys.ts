/** What a key press asks for, when it is a console shortcut. */
export type Shortcut =
  | { kind: 'claim-next' }
  | { kind: 'decide'; decision: 'approve' | 'reject' | 'escalate' }
  | { kind: 'reason'; index: number }
  | { kind: 'play-pause' }
  | { kind: 'frame'; step: -1 | 1 }
  | { kind: 'reveal' }
  | { kind: 'help' };

/** The shortcuts, for the "?" list. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'N', does: 'claim the next clip' },
  { keys: 'A / R / E', does: 'approve / reject / escalate' },
  { keys: '1–9', does: 'pick a reason' },
  { keys: 'Space', does: 'play or pause' },
  { keys: ', / .', does: 'one frame back / forward' },
  { keys: 'B', does: 'reveal or blur the clip' },
  { keys: '?', does: 'show these shortcuts' },
];

const TYPING_TARGETS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** The key event's shortcut; null while typing in a field, with a modifier held, or for any other key. */
export function shortcutOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'> & { target: EventTarget | null }): Shortcut | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target as { tagName?: string; isContentEditable?: boolean } | null;
  if (target && (TYPING_TARGETS.has(target.tagName ?? '') || target.isContentEditable)) return null;
  const key = event.key;
  if (/^[1-9]$/.test(key)) return { kind: 'reason', index: Number(key) - 1 };
  switch (key.toLowerCase()) {
    case 'n':
      return { kind: 'claim-next' };
    case 'a':
      return { kind: 'decide', decision: 'approve' };
    case 'r':
      return { kind: 'decide', decision: 'reject' };
    case 'e':
      return { kind: 'decide', decision: 'escalate' };
    case 'b':
      return { kind: 'reveal' };
    case ',':
      return { kind: 'frame', step: -1 };
    case '.':
      return { kind: 'frame', step: 1 };
    case '?':
      return { kind: 'help' };
    // Space on a focused button clicks it: only the player's own shortcut when focus is elsewhere.
    case ' ':
      return target?.tagName === 'BUTTON' ? null : { kind: 'play-pause' };
    default:
      return null;
  }
}
