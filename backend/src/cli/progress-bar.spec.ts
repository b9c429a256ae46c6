import { progressLine } from './progress-bar';

describe('progressLine', () => {
  it('fills the bar in proportion and names the megabytes', () => {
    expect(progressLine('a.mp4', 0, 4e6)).toBe('a.mp4 [--------------------]   0%  0.0/4.0 MB');
    expect(progressLine('a.mp4', 1e6, 4e6)).toBe('a.mp4 [#####---------------]  25%  1.0/4.0 MB');
    expect(progressLine('a.mp4', 4e6, 4e6)).toBe('a.mp4 [####################] 100%  4.0/4.0 MB');
  });

  it('never passes 100 % when the multipart framing sends more bytes than the file holds', () => {
    expect(progressLine('a.mp4', 4.2e6, 4e6)).toBe('a.mp4 [####################] 100%  4.0/4.0 MB');
  });

  it('shows an empty file as done', () => {
    expect(progressLine('a.mp4', 0, 0)).toBe('a.mp4 [####################] 100%  0.0/0.0 MB');
  });
});
