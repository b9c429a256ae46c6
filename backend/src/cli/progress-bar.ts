/** One line of upload progress, e.g. `clip.mp4 [##########----------]  50%  1.5/3.0 MB`. */
export function progressLine(label: string, sent: number, total: number, width = 20): string {
  // The multipart framing adds a few hundred bytes over the file's size: never show more than 100 %.
  const share = total > 0 ? Math.min(1, sent / total) : 1;
  const filled = Math.round(share * width);
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${mb(Math.min(sent, total))}/${mb(total)} MB`;
}

/** Redraws one progress line on a terminal in place, at most ten times a second. */
export class TerminalProgress {
  private lastDraw = 0;
  private last = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(sent: number): void {
    this.last = sent;
    const now = Date.now();
    if (now - this.lastDraw < 100 && sent < this.total) return;
    this.lastDraw = now;
    this.out.write(`\r${progressLine(this.label, sent, this.total)}`);
  }

  /** The last state (100 % once the whole body went out), then a new line so the answer or the error starts on its own. */
  end(): void {
    this.out.write(`\r${progressLine(this.label, this.last, this.total)}\n`);
  }
}
