// Moderation engine: scores prompts, images and clips per moderation category and applies a policy (see README.md).
export { MODERATION_CATEGORIES } from './categories';
export { createModerationEngine, loadModerationConfig, type ModerationConfig, ModerationConfigError } from './moderation-config';
export { DEFAULT_ENGINE_OPTIONS, ModerationEngine } from './moderation-engine';
export { ModerationInputError, ModerationProviderError } from './moderation-errors';
export type { ModerationEvidence, ModerationReport } from './moderation-report';
export { ReportBuilder } from './report-builder';
export { worstVerdict } from './policy/apply-policy';
export { DEFAULT_MODERATION_POLICY } from './policy/moderation-policy';
export { parseModerationPolicy } from './policy/parse-moderation-policy';
export { PolicyValidationError } from './policy/policy-validation-error';
// The parts the bench times on their own, and the text evaluation set it scores.
export { FrameTextReader } from './image/frame-text-reader';
export { NSFW_INPUT_SIZE, NsfwImageClassifier } from './image/nsfw-image-classifier';
export { RgbFrameDecoder } from './image/rgb-frame-decoder';
export { LocalModerationProvider } from './providers/local-moderation-provider';
export { LocalTextClassifier } from './text/local-text-classifier';
export { evaluateTextEngine, type TextEngineEvaluation } from './evaluation/evaluate-text-engine';
export { EVALUATION_SPLITS, type EvaluationSplit } from './evaluation/evaluation-prompt';
export { loadEvaluationSet } from './evaluation/evaluation-set';
