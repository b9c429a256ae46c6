import { createHash } from 'node:crypto';

/**
 * The deterministic "script" of a demo clip: which lavfi source, colours,
 * camera path and melody a prompt gets. Pure data from sha256(prompt), so the
 * same prompt always produces the same ffmpeg command line.
 */

export interface DemoSceneSize {
  seconds: number;
  width: number;
  height: number;
  fps: number;
}

export interface DemoScene {
  /** Which generator the picture comes from (reported for tests and logs). */
  kind: 'mandelbrot' | 'life' | 'plasma' | 'reference-image';
  /**
   * A lavfi source graph producing the raw picture, or null when the picture
   * is the reference image (input 0 of the filter graph in both cases).
   */
  source: string | null;
  /** Filters from input 0 to a moving picture of exactly width x height. */
  filters: string[];
  /** aevalsrc expression for one channel (the same on both). */
  audioExpression: string;
}

const MANDELBROT_SPOTS: Array<[number, number]> = [
  [-0.743643887, 0.131825904],
  [-0.7453, 0.1127],
  [-1.25066, 0.02012],
  [-0.1011, 0.9563],
  [-0.235125, 0.827215],
  [0.2549870375144766, -0.0005679790528465],
];
const LIFE_RULES = ['B3/S23', 'B36/S23', 'B3678/S34678', 'B368/S245'];
/** Minor pentatonic, in semitones above the root. */
const SCALE = [0, 3, 5, 7, 10, 12, 15];
const ROOTS_HZ = [196, 220, 246.94, 261.63, 293.66];
const NOTES_PER_SECOND = 2;
const MELODY_LENGTH = 8;

/** Reads the prompt's hash as a stream of choices; after 32 bytes it hashes on. */
class SeedStream {
  private bytes: Buffer;
  private position = 0;

  constructor(private readonly prompt: string) {
    this.bytes = createHash('sha256').update(prompt, 'utf8').digest();
  }

  byte(): number {
    if (this.position === this.bytes.length) {
      this.bytes = createHash('sha256').update(this.bytes).digest();
      this.position = 0;
    }
    return this.bytes[this.position++];
  }

  pick<T>(options: readonly T[]): T {
    return options[this.byte() % options.length];
  }

  /** Uniform in [min, max), two bytes of resolution. */
  range(min: number, max: number): number {
    return min + ((this.byte() * 256 + this.byte()) / 65536) * (max - min);
  }

  color(): string {
    return `0x${[this.byte(), this.byte(), this.byte()].map((b) => (b | 0x40).toString(16).padStart(2, '0')).join('')}`;
  }
}

export function composeDemoScene(prompt: string, size: DemoSceneSize, withReferenceImage: boolean): DemoScene {
  const seed = new SeedStream(prompt);
  const audioExpression = melody(seed, size.seconds);
  const kind = withReferenceImage ? 'reference-image' : seed.pick(['mandelbrot', 'life', 'plasma'] as const);
  const frames = Math.round(size.seconds * size.fps);

  if (kind === 'reference-image') {
    // Ken Burns over the image: cover a 1.5x canvas, then zoom in while drifting.
    const canvasW = even(size.width * 1.5);
    const canvasH = even(size.height * 1.5);
    const zoom = fixed(seed.range(0.15, 0.4));
    const [driftX, driftY] = [fixed(seed.range(0.2, 0.45)), fixed(seed.range(0.2, 0.45))];
    return {
      kind,
      source: null,
      filters: [
        `scale=${canvasW}:${canvasH}:force_original_aspect_ratio=increase`,
        `crop=${canvasW}:${canvasH}`,
        'setsar=1',
        `zoompan=z='1+${zoom}*on/${frames}':x='(iw-iw/zoom)*(0.5+${driftX}*sin(on/${frames}*PI))'` +
          `:y='(ih-ih/zoom)*(0.5-${driftY}*sin(on/${frames}*PI))':d=1:s=${size.width}x${size.height}:fps=${size.fps}`,
      ],
      audioExpression,
    };
  }

  // Sources render small (cost grows with pixels) on a canvas 25% larger than
  // the crop window that pans across it, then scale up to the output size.
  const viewW = even(Math.min(size.width, 640 * (size.width / Math.max(size.width, size.height))));
  const viewH = even(Math.min(size.height, 640 * (size.height / Math.max(size.width, size.height))));
  const canvasW = even(viewW * 1.25);
  const canvasH = even(viewH * 1.25);
  const rate = `r=${size.fps}`;
  let source: string;
  const look: string[] = [];
  if (kind === 'mandelbrot') {
    const [x, y] = seed.pick(MANDELBROT_SPOTS);
    source =
      `mandelbrot=s=${canvasW}x${canvasH}:${rate}:maxiter=256:start_x=${x}:start_y=${y}` +
      `:start_scale=3:end_scale=${fixed(seed.range(0.02, 0.3))}:end_pts=${frames}`;
  } else if (kind === 'life') {
    // A coarse grid scaled up bilinearly reads as soft glowing cells (hard edges are what an invisible mark survives worst).
    source =
      `life=s=${even(canvasW / 6)}x${even(canvasH / 6)}:${rate}:rule=${seed.pick(LIFE_RULES)}:random_seed=${seed.byte() * 256 + seed.byte()}` +
      `:ratio=${fixed(seed.range(0.2, 0.6))}:mold=${Math.round(seed.range(8, 40))}` +
      `:life_color=${seed.color()}:mold_color=${seed.color()}:death_color=0x101018`;
    look.push(`scale=${canvasW}:${canvasH}:flags=bilinear`);
  } else {
    // geq is evaluated per pixel, so the smooth plasma renders at quarter size.
    const wave = () => `${fixed(seed.range(8, 30))}`;
    const speed = () => `${fixed(seed.range(0.6, 2.5))}`;
    source = `color=c=black:s=${even(canvasW / 4)}x${even(canvasH / 4)}:${rate}`;
    look.push(
      `geq=r='128+127*sin(X/${wave()}+T*${speed()})':g='128+127*sin(Y/${wave()}-T*${speed()})'` +
        `:b='128+127*sin((X+Y)/${wave()}+T*${speed()})'`,
      `scale=${canvasW}:${canvasH}:flags=bicubic`,
    );
  }
  const hue = `hue=h=${Math.round(seed.range(0, 360))}+t*${fixed(seed.range(-40, 40))}`;
  const [speedX, speedY, phase] = [seed.range(0.3, 1.1), seed.range(0.3, 1.1), seed.range(0, 6.28)].map(fixed);
  const pan =
    `crop=${viewW}:${viewH}:x='(iw-ow)/2*(1+0.9*sin(t*${speedX}+${phase}))'` + `:y='(ih-oh)/2*(1+0.9*cos(t*${speedY}))'`;
  return {
    kind,
    source,
    filters: [...look, hue, pan, `scale=${size.width}:${size.height}:flags=bicubic`, 'setsar=1'],
    audioExpression,
  };
}

/**
 * A looping eight-note pentatonic melody over a quiet root-and-fifth pad.
 * Each note has a short attack and a linear decay, so the frequency switches
 * at note boundaries happen in silence (no clicks); the last half second fades.
 */
function melody(seed: SeedStream, seconds: number): string {
  const root = seed.pick(ROOTS_HZ);
  const notes = Array.from({ length: MELODY_LENGTH }, () => fixed(root * 2 ** (seed.pick(SCALE) / 12)));
  const step = `mod(floor(t*${NOTES_PER_SECOND}),${MELODY_LENGTH})`;
  const frequency = notes
    .slice(0, -1)
    .reduceRight((otherwise, note, i) => `if(eq(${step},${i}),${note},${otherwise})`, notes[notes.length - 1]);
  const phase = `mod(t*${NOTES_PER_SECOND},1)`;
  const envelope = `min(1,${phase}*40)*(1-${phase})`;
  const pad = `0.06*sin(2*PI*${fixed(root / 2)}*t)+0.04*sin(2*PI*${fixed((root * 3) / 4)}*t)`;
  const fade = `min(1,(${seconds}-t)*2)`;
  return `(0.22*sin(2*PI*${frequency}*t)*${envelope}+${pad})*${fade}`;
}

function even(value: number): number {
  return Math.max(2, 2 * Math.round(value / 2));
}

function fixed(value: number): string {
  return value.toFixed(3);
}
