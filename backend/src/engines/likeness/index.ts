/**
 * The likeness face engine: detection and embedding (@vladmandic/human on
 * tfjs-wasm, in worker threads), tracking across sampled frames, and matching
 * against in-memory templates with calibrated thresholds. No NestJS; see README.md.
 */
export { FaceAnalyzer, type FaceAnalyzerOptions, MAX_ANALYSIS_THREADS } from './face-analyzer';
export { DEFAULT_DETECTION_OPTIONS, type DetectionOptions } from './human-face-engine';
export { type DetectedFace, type FaceBox, type FaceQuality, LikenessInputError, type RgbImage } from './types';
export { DEFAULT_TRACKER_OPTIONS, type FaceTrack, FaceTracker, type TrackedDetection, type TrackerOptions } from './face-tracker';
export { type FaceMatch, type FaceTemplate, TemplateIndex, type TemplateIndexOptions } from './template-index';
export { decodeTemplate, encodeTemplate, type StoredEmbedding } from './template-codec';
export { DEFAULT_THRESHOLDS, type LikenessThresholds, type LikenessVerdict, verdictFor } from './thresholds';
export { cosineDistance } from './embedding-math';
export { createLocalFetch, LocalFetchRefused } from './local-fetch';

/** The model the thresholds were calibrated for; templates of any other version must be re-enrolled. */
export const LIKENESS_MODEL_VERSION = 'human-3.3.6/faceres';
/** Embedding length of LIKENESS_MODEL_VERSION. */
export const LIKENESS_EMBEDDING_DIMENSION = 1024;
