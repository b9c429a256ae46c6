export { analyseHarm, HarmAnalysis, HarmRelation, Span } from './relation-detector';
export { relationRuleId, relationScores } from './relation-scores';
