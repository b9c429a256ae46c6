import { existsSync } from 'node:fs';
import { WatermarkInputError } from './watermark-errors';

/** The visible, moving label ("AI-generated · Provenant · @creator"). */
export interface VisibleLabelOptions {
  text: string;
  /** 0..1, text opacity; its backing box gets 40% of it. */
  opacity?: number;
  /** Text height as a fraction of the frame height. */
  sizeRatio?: number;
  /** The label moves to the next corner (clockwise from top left) after this many seconds. */
  cornerSeconds?: number;
  /** TrueType font; default PROVENANT_WATERMARK_FONT, then common system fonts. */
  fontFile?: string;
}

export const VISIBLE_LABEL_DEFAULTS = Object.freeze({ opacity: 0.6, sizeRatio: 0.035, cornerSeconds: 4 });

const FONT_ENV = 'PROVENANT_WATERMARK_FONT';
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
];

/** The label the release policy puts on clips. */
export function releaseLabelText(platform: string, creatorHandle?: string | null): string {
  return ['AI-generated', platform, creatorHandle ? `@${creatorHandle.replace(/^@/, '')}` : null].filter(Boolean).join(' · ');
}

export interface ResolvedLabel {
  text: string;
  opacity: number;
  sizeRatio: number;
  cornerSeconds: number;
  fontFile: string;
}

export function resolveLabel(options: VisibleLabelOptions, env: NodeJS.ProcessEnv = process.env): ResolvedLabel {
  const text = options.text ?? '';
  if (!text.trim() || text.length > 120 || /[\u0000-\u001f\u007f]/.test(text)) {
    throw new WatermarkInputError('BAD_OPTIONS', 'the visible label must be 1 to 120 characters without control characters');
  }
  const opacity = options.opacity ?? VISIBLE_LABEL_DEFAULTS.opacity;
  const sizeRatio = options.sizeRatio ?? VISIBLE_LABEL_DEFAULTS.sizeRatio;
  const cornerSeconds = options.cornerSeconds ?? VISIBLE_LABEL_DEFAULTS.cornerSeconds;
  if (!(opacity > 0 && opacity <= 1)) throw new WatermarkInputError('BAD_OPTIONS', `label opacity must be in (0, 1], got ${opacity}`);
  if (!(sizeRatio >= 0.01 && sizeRatio <= 0.2)) throw new WatermarkInputError('BAD_OPTIONS', `label sizeRatio must be in [0.01, 0.2], got ${sizeRatio}`);
  if (!(cornerSeconds >= 0.5 && cornerSeconds <= 600)) {
    throw new WatermarkInputError('BAD_OPTIONS', `label cornerSeconds must be in [0.5, 600], got ${cornerSeconds}`);
  }
  const fontFile = options.fontFile ?? env[FONT_ENV] ?? FONT_CANDIDATES.find((f) => existsSync(f));
  if (!fontFile || !existsSync(fontFile)) {
    throw new WatermarkInputError('NO_FONT', `no font for the visible label: set ${FONT_ENV} to a TrueType file${fontFile ? ` (${fontFile} does not exist)` : ''}`);
  }
  return { text, opacity, sizeRatio, cornerSeconds, fontFile };
}

/**
 * The drawtext filter. The text comes from `textFile` with expansion off, so
 * no character of it can be read as filter syntax or a %{…} expansion.
 */
export function labelFilter(label: ResolvedLabel, textFile: string, frameHeight: number, frameWidth: number): string {
  const fontSize = Math.max(8, Math.round(label.sizeRatio * frameHeight));
  const margin = Math.round(0.03 * Math.min(frameWidth, frameHeight));
  const corner = `mod(floor(t/${label.cornerSeconds})\\,4)`;
  return [
    `drawtext=fontfile=${escapeFilterValue(label.fontFile)}`,
    `textfile=${escapeFilterValue(textFile)}`,
    'expansion=none',
    `fontsize=${fontSize}`,
    `fontcolor=white@${label.opacity.toFixed(3)}`,
    'box=1',
    `boxcolor=black@${(label.opacity * 0.4).toFixed(3)}`,
    `boxborderw=${Math.max(2, Math.round(fontSize / 4))}`,
    `x=if(between(${corner}\\,1\\,2)\\,w-tw-${margin}\\,${margin})`,
    `y=if(gte(${corner}\\,2)\\,h-th-${margin}\\,${margin})`,
  ].join(':');
}

/** Escapes a value for a filter option inside a -vf graph: once for the option parser, once for the graph parser. */
function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}
