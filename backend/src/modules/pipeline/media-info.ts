import type { MediaInfoDto } from '@provenant/shared';
import type { ProbedMedia } from '../../engines/media';

export function toMediaInfo(sha256: string, probed: ProbedMedia): MediaInfoDto {
  return {
    sha256,
    bytes: probed.bytes,
    container: probed.container,
    durationSeconds: probed.durationSeconds,
    width: probed.width,
    height: probed.height,
    videoCodec: probed.videoCodec,
    audioCodec: probed.audioCodec,
    frameRate: probed.frameRate,
  };
}
