export { WatermarkEmbedder, type EmbedRequest, type EmbedResult, type WatermarkEmbedderOptions } from './watermark-embedder';
export { WatermarkDetector, FALSE_POSITIVE_BOUND, type DetectRequest, type WatermarkDetection, type WatermarkReading, type WatermarkDetectorOptions } from './watermark-detector';
export { WatermarkKey, WATERMARK_KEY_BYTES, WATERMARK_KEY_ENV } from './watermark-key';
export { WatermarkInputError, type WatermarkInputErrorCode } from './watermark-errors';
export { PayloadCodec, PAYLOAD_BYTES, parsePayloadHex } from './payload-codec';
export { DEFAULT_RELEASE_ENCODING, x264OutputArgs, type ReleaseEncoding } from './release-encoding';
export { DEFAULT_MARK_STRENGTH, type MarkStrength } from './luma-marker';
export { VISIBLE_LABEL_DEFAULTS, releaseLabelText, type VisibleLabelOptions } from './visible-label';
export type { SyncResult, GridPlacement } from './sync-search';
