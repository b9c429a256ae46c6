import { withoutServerPaths } from './server-paths';

describe('withoutServerPaths', () => {
  it('hides absolute paths of files, wherever they stand in a message', () => {
    expect(withoutServerPaths("ENOENT: no such file or directory, open '/work/main/.provenant/store/ab/cd0123'")).toBe("ENOENT: no such file or directory, open '<path>'");
    expect(withoutServerPaths('ffmpeg exited 1 reading /tmp/provenant-scratch/x.mp4: Invalid data')).toBe('ffmpeg exited 1 reading <path>: Invalid data');
  });

  it('keeps URLs, single-segment words and text without paths as they are', () => {
    expect(withoutServerPaths('provider answered 500 at https://api.openai.com/v1/videos/abc')).toBe('provider answered 500 at https://api.openai.com/v1/videos/abc');
    expect(withoutServerPaths('ratio 3/4 of h264/aac, see /metrics')).toBe('ratio 3/4 of h264/aac, see /metrics');
  });
});
