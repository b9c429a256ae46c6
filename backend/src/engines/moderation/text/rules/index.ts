import { TextRule } from '../text-rule';
import { HARASSMENT_RULES } from './harassment-rules';
import { HATE_RULES } from './hate-rules';
import { ILLICIT_RULES } from './illicit-rules';
import { SELF_HARM_RULES } from './self-harm-rules';
import { SEXUAL_MINORS_RULES, SEXUAL_RULES } from './sexual-rules';
import { VIOLENCE_RULES } from './violence-rules';

export { VOCABULARY } from './vocabulary';

/** Version of the curated rule set; reports name it so a decision can be reproduced. */
export const TEXT_RULES_VERSION = '2026-12-03.1';

export const TEXT_RULES: readonly TextRule[] = [
  ...HARASSMENT_RULES,
  ...VIOLENCE_RULES,
  ...HATE_RULES,
  ...SELF_HARM_RULES,
  ...SEXUAL_RULES,
  ...SEXUAL_MINORS_RULES,
  ...ILLICIT_RULES,
];
