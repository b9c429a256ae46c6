import { checkMediaLimits, DEFAULT_MEDIA_LIMITS, MediaLimits } from './media-limits';
import { ProbedMedia } from './media-prober';

const clip: ProbedMedia = {
  container: 'mp4',
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  majorBrand: 'isom',
  durationSeconds: 8,
  width: 1280,
  height: 720,
  videoCodec: 'h264',
  audioCodec: 'aac',
  frameRate: 30,
  bytes: 4_000_000,
  hasVideo: true,
};

describe('checkMediaLimits', () => {
  const limits: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, maxBytes: 10_000_000, maxDurationSeconds: 20, maxWidth: 1920, maxHeight: 1920, maxFrameRate: 60, maxPixelsPerSecond: 1920 * 1080 * 60 };

  it('accepts a clip within every limit, with or without audio', () => {
    expect(checkMediaLimits(clip, limits)).toBeNull();
    expect(checkMediaLimits({ ...clip, audioCodec: null }, limits)).toBeNull();
    expect(checkMediaLimits({ ...clip, container: 'mov', videoCodec: 'hevc', audioCodec: 'opus' }, limits)).toBeNull();
    expect(checkMediaLimits({ ...clip, videoCodec: 'av1' }, limits)).toBeNull();
  });

  it.each<[string, Partial<ProbedMedia>, string]>([
    ['size', { bytes: 10_000_001 }, 'file size 10000001 bytes exceeds the limit of 10000000 bytes'],
    ['duration', { durationSeconds: 20.004 }, 'duration 20 s exceeds the limit of 20 s'],
    ['width', { width: 2560, height: 1440 }, 'resolution 2560x1440 exceeds the limit of 1920x1920'],
    ['height', { width: 1080, height: 2400 }, 'resolution 1080x2400 exceeds the limit of 1920x1920'],
    ['frame rate', { width: 640, height: 360, frameRate: 500 }, 'frame rate 500 fps exceeds the limit of 60 fps'],
    ['pixel rate', { width: 1920, height: 1920, frameRate: 60 }, 'pixel rate 221184000 pixels/s (1920x1920 at 60 fps) exceeds the limit of 124416000 pixels/s'],
    ['container', { container: 'matroska,webm' }, 'container matroska,webm is not allowed (allowed: mp4, mov)'],
    ['video codec', { videoCodec: 'vp9' }, 'video codec vp9 is not allowed (allowed: h264, hevc, av1)'],
    ['audio codec', { audioCodec: 'mp3' }, 'audio codec mp3 is not allowed (allowed: aac, opus, or no audio)'],
  ])('names the violated %s limit', (_name, change, message) => {
    expect(checkMediaLimits({ ...clip, ...change }, limits)).toBe(message);
  });

  it('treats limits as inclusive bounds', () => {
    expect(checkMediaLimits({ ...clip, bytes: 10_000_000, durationSeconds: 20, width: 1920, height: 1920 }, limits)).toBeNull();
    expect(checkMediaLimits({ ...clip, width: 1920, height: 1080, frameRate: 60 }, limits)).toBeNull();
  });
});
