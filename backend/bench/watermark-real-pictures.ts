import { join } from 'node:path';
import { type RealClip, realPictureClips } from './corpora/real-pictures';
import { type FfmpegBinaries, runProcess } from '../src/engines/media';
import { DEFAULT_RELEASE_ENCODING, PayloadCodec, WatermarkDetector, WatermarkEmbedder, WatermarkKey, x264OutputArgs } from '../src/engines/watermark';

/**
 * The watermark on real pictures (issue 16): photographs panned and zoomed
 * into 6 s 720p clips and camera video as it is, marked with the release
 * settings, then attacked the way a platform re-encodes. Per clip: exact
 * payload, coded-bit accuracy, and PSNR/SSIM of the marked render against a
 * plain re-encode with the same settings; the unmarked renders and their
 * attacked copies must give no detection.
 */

const TIMEOUT = 20 * 60 * 1000;
export const EVEN_SIZE = 'crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0';

export interface RealAttack {
  name: string;
  filters: string;
  crf: number;
}

/** x264 at its default preset, as a platform re-encodes. */
export const REAL_PICTURE_ATTACKS: readonly RealAttack[] = [
  { name: 'half size + CRF 28', filters: 'scale=trunc(iw/4)*2:trunc(ih/4)*2', crf: 28 },
  { name: 'stacked: crop 90% + 50% + CRF 28', filters: 'crop=trunc(iw*0.45)*2:trunc(ih*0.45)*2,scale=trunc(iw/4)*2:trunc(ih/4)*2', crf: 28 },
  { name: '25% size', filters: 'scale=trunc(iw/8)*2:trunc(ih/8)*2', crf: 23 },
];

export interface RealPictureRow {
  clip: string;
  psnr: number;
  psnrY: number;
  ssim: number;
  release: Reading;
  attacks: Array<{ attack: string } & Reading>;
}

interface Reading {
  exact: boolean;
  accuracy: number;
}

async function ffmpeg(bins: FfmpegBinaries, args: string[]): Promise<void> {
  await runProcess(bins.ffmpeg, ['-v', 'error', '-nostdin', '-y', ...args], { timeoutMs: TIMEOUT });
}

async function attack(bins: FfmpegBinaries, a: RealAttack, input: string, out: string): Promise<string> {
  await ffmpeg(bins, ['-i', input, '-vf', a.filters, '-c:v', 'libx264', '-crf', String(a.crf), '-an', out]);
  return out;
}

export async function measureQuality(bins: FfmpegBinaries, marked: string, plain: string): Promise<{ psnr: number; psnrY: number; ssim: number }> {
  const log = async (filter: string) =>
    (await runProcess(bins.ffmpeg, ['-nostdin', '-i', marked, '-i', plain, '-lavfi', `[0:v][1:v]${filter}`, '-f', 'null', '-'], { timeoutMs: TIMEOUT })).stderr;
  const psnr = await log('psnr');
  const ssim = await log('ssim');
  const number = (text: string, re: RegExp) => Number.parseFloat(re.exec(text)?.[1] ?? 'NaN');
  return { psnr: number(psnr, /average:([\d.]+|inf)/), psnrY: number(psnr, /PSNR y:([\d.]+|inf)/), ssim: number(ssim, /All:([\d.]+)/) };
}

export async function runRealPictures(bins: FfmpegBinaries, workDir: string, options: { only?: RegExp; log?: (line: string) => void } = {}) {
  const key = WatermarkKey.fromBytes(Buffer.from('provenant-bench-watermark-key-32'));
  const codec = new PayloadCodec(key);
  const embedder = new WatermarkEmbedder(bins, { timeoutMs: TIMEOUT });
  const detector = new WatermarkDetector(bins, { timeoutMs: TIMEOUT });
  const log = options.log ?? ((line: string) => process.stdout.write(`  watermark real pictures: ${line}\n`));
  const clips: RealClip[] = (await realPictureClips(bins)).filter((c) => !options.only || options.only.test(c.name));

  const read = async (file: string, payload: Buffer): Promise<Reading> => {
    const reading = await detector.read({ input: file, key });
    if ('reason' in reading) return { exact: false, accuracy: 0.5 };
    const codeword = codec.encode(payload);
    let agree = 0;
    reading.softBits.forEach((v, i) => (agree += v > 0 === (codeword[i] === 1) ? 1 : 0));
    return { exact: codec.decode(reading.softBits)?.payload.equals(payload) ?? false, accuracy: agree / codeword.length };
  };
  const falsePositives = { clips: 0, found: 0, maxPilotZ: 0 };
  const unmarked = async (file: string) => {
    const result = await detector.detect({ input: file, key });
    falsePositives.clips++;
    if (result.found) falsePositives.found++;
    falsePositives.maxPilotZ = Math.max(falsePositives.maxPilotZ, result.sync?.pilotZ ?? 0);
  };

  const rows: RealPictureRow[] = [];
  for (const [index, clip] of clips.entries()) {
    const payload = Buffer.alloc(8);
    payload.writeUInt32BE(0x7ea10000 + index, 0);
    payload.writeUInt32BE((0xfeed0000 ^ (index * 2654435761)) >>> 0, 4);
    const plain = join(workDir, `real-plain-${index}.mp4`);
    const marked = join(workDir, `real-marked-${index}.mp4`);
    // Cropped to even sizes as the embedder does (x264 4:2:0 needs them; the 720×405 video has an odd height).
    await ffmpeg(bins, ['-i', clip.file, '-map', '0:v:0', '-vf', EVEN_SIZE, ...x264OutputArgs(DEFAULT_RELEASE_ENCODING), '-movflags', '+faststart', plain]);
    await embedder.embed({ input: clip.file, output: marked, payload, key });
    const row: RealPictureRow = { clip: clip.name, ...(await measureQuality(bins, marked, plain)), release: await read(marked, payload), attacks: [] };
    await unmarked(plain);
    for (const [a, each] of REAL_PICTURE_ATTACKS.entries()) {
      row.attacks.push({ attack: each.name, ...(await read(await attack(bins, each, marked, join(workDir, `real-attacked-${index}-${a}.mp4`)), payload)) });
      await unmarked(await attack(bins, each, plain, join(workDir, `real-unmarked-${index}-${a}.mp4`)));
    }
    rows.push(row);
    const pct = (r: Reading) => `${r.exact ? 'exact' : 'MISSED'} ${(100 * r.accuracy).toFixed(1)}%`;
    log(`${clip.name}: PSNR ${row.psnr.toFixed(2)} dB, SSIM ${row.ssim.toFixed(4)}; release ${pct(row.release)}; ${row.attacks.map((r) => `${r.attack} ${pct(r)}`).join('; ')}`);
  }
  return { clips: clips.map((c) => ({ name: c.name, kind: c.kind, seconds: c.seconds })), attacks: REAL_PICTURE_ATTACKS.map((a) => a.name), rows, falsePositives };
}

export function realPicturesMarkdown(result: Awaited<ReturnType<typeof runRealPictures>>): string {
  const cell = (r: Reading) => `${r.exact ? 'exact' : '**missed**'} ${(100 * r.accuracy).toFixed(1)}%`;
  const exactShare = (i: number) => {
    const n = result.rows.filter((r) => r.attacks[i].exact).length;
    return `${n}/${result.rows.length}`;
  };
  return [
    `Real pictures (${result.rows.length} clips: photographs from Debian packages panned/zoomed into 6 s 720p clips, and camera video as it is; marked with the release settings, attacked with x264 at its default preset). Cells: payload exact or missed, coded-bit accuracy; PSNR/SSIM of the marked render against a plain re-encode with the same settings:`,
    '',
    `| clip | PSNR | SSIM | release | ${result.attacks.join(' | ')} |`,
    `| --- | --- | --- | --- | ${result.attacks.map(() => '---').join(' | ')} |`,
    ...result.rows.map((r) => `| ${r.clip} | ${r.psnr.toFixed(2)} dB | ${r.ssim.toFixed(4)} | ${cell(r.release)} | ${r.attacks.map(cell).join(' | ')} |`),
    `| **exact payload** | min ${Math.min(...result.rows.map((r) => r.psnr)).toFixed(2)} dB | min ${Math.min(...result.rows.map((r) => r.ssim)).toFixed(4)} | ${result.rows.filter((r) => r.release.exact).length}/${result.rows.length} | ${result.attacks.map((_, i) => exactShare(i)).join(' | ')} |`,
    '',
    `False positives on the unmarked real clips (plain renders and their attacked copies): ${result.falsePositives.found} of ${result.falsePositives.clips}; highest pilot z ${result.falsePositives.maxPilotZ.toFixed(2)}.`,
  ].join('\n');
}
