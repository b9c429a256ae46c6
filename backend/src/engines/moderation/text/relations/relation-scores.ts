import { CategoryScores } from '../../categories';
import { HarmRelation } from './relation-detector';

/** The same damping as a phrase rule's benign framing: a story or a report still reaches a human when it is about a child. */
const FRAMED_FACTOR = 0.3;

/** How strongly each mood aims the act at its target; depiction only shows it. */
const MOOD_STRENGTH: Record<HarmRelation['mood'], number> = {
  intent: 0.95,
  self_depiction: 0.95,
  incitement: 0.92,
  instruction: 0.9,
  wish: 0.9,
  how_to: 0.88,
  depiction: 0.65,
};

/** Harassment acts that are threats or stalking in themselves; the rest (mocking, shaming) are abuse to review. */
const GRAVE_HARASSMENT = new Set(['stalk', 'dox', 'doxx', 'blackmail', 'terrorize', 'terrorise', 'intimidate', 'harass', 'torment', 'bully']);

/** Category scores for one relation; the classifier combines them with the phrase rules' as independent signals. */
export function relationScores(relation: HarmRelation): CategoryScores {
  const s = MOOD_STRENGTH[relation.mood];
  const scores: CategoryScores = {};
  const aimed = relation.mood !== 'depiction' && relation.mood !== 'how_to';
  switch (relation.actKind) {
    case 'killing':
    case 'injury':
    case 'destruction':
      scores.violence = relation.mood === 'depiction' ? 0.65 : Math.max(0.85, s - 0.02);
      if (aimed) scores['harassment/threatening'] = s;
      else if (relation.mood === 'depiction') scores['harassment/threatening'] = 0.55;
      if (relation.mood === 'how_to') scores['illicit/violent'] = 0.7;
      if (relation.actKind === 'destruction') scores['illicit/violent'] = Math.max(scores['illicit/violent'] ?? 0, 0.6);
      if (relation.protectedTarget && aimed) {
        scores['hate/threatening'] = s;
        scores.hate = 0.7;
      }
      if (relation.targetKind === 'you' && aimed) scores.harassment = 0.8;
      break;
    case 'sexual_violence':
      scores.sexual = 0.85;
      scores.violence = relation.mood === 'depiction' ? 0.65 : Math.max(0.85, s - 0.02);
      if (aimed) scores['harassment/threatening'] = s;
      if (relation.targetKind === 'minor') scores['sexual/minors'] = 0.97;
      break;
    case 'harassment':
      scores.harassment = relation.mood === 'depiction' ? 0.6 : GRAVE_HARASSMENT.has(relation.act) ? 0.9 : 0.8;
      if (relation.targetKind === 'minor') scores.harassment = Math.max(scores.harassment, 0.85);
      break;
    case 'sexualisation':
      scores['sexual/minors'] = 0.97;
      scores.sexual = 0.85;
      break;
    case 'suggestive':
      // Under the block floor of sexual/minors, over its review threshold: a human looks.
      scores['sexual/minors'] = 0.3;
      break;
  }
  if (!relation.framed) return scores;
  return Object.fromEntries(Object.entries(scores).map(([c, v]) => [c, v * FRAMED_FACTOR]));
}

/** The id reviewers see for a relation, like a phrase rule's: mood and act kind, versioned. */
export function relationRuleId(relation: HarmRelation): string {
  return `relation.${relation.mood}.${relation.actKind}.v1${relation.framed ? '+benign-framing' : ''}`;
}
