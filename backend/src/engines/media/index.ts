// Media engine: the bundled ffmpeg/ffprobe and the processes run with them: probing, limits, frame sampling (with the thumbnail and raw luma in the same pass).
export { type FfmpegBinaries, resolveFfmpegBinaries } from './ffmpeg-binaries';
export { FfmpegStream, type FfmpegStreamOptions } from './ffmpeg-stream';
export { FrameSampler, type SampledFrame, type LumaFrameRequest } from './frame-sampler';
export { checkMediaLimits, type MediaLimits } from './media-limits';
export { MediaProber, type ProbedMedia } from './media-prober';
export { MediaRejectedError, type MediaRejectionCode } from './media-rejected-error';
export { readMp4Structure } from './mp4-structure';
export { MediaProcessError, type MediaProcessErrorCode, runProcess } from './run-process';
