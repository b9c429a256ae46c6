import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { FfmpegBinaries, FrameSampler, MediaProber, MediaProcessError, MediaRejectedError, runProcess, SampledFrame } from '../media';
import { IMAGE_SCORED_CATEGORIES, ModerationCategory } from './categories';
import { FrameTextReader } from './image/frame-text-reader';
import { DEFAULT_IMAGE_LIMITS, ImageLimits, inspectImage } from './image/image-inspector';
import { ModerationInputError, ModerationProviderError } from './moderation-errors';
import { FramesEvidence, ModerationReport, ModerationSource, SpeechCoverage, TextMatchEvidence } from './moderation-report';
import { ModerationPolicy } from './policy/moderation-policy';
import { ImageInput, ImageScoring, ModerationProvider, TextScoring, TextSource } from './providers/moderation-provider';
import { ReportBuilder } from './report-builder';
import { checkPromptText, MAX_PROMPT_BYTES } from './text/text-input-guard';
import { aggregateFrames, ScoredFrame } from './video/frame-aggregation';

export interface FrameSamplingOptions {
  intervalSeconds: number;
  sceneThreshold: number;
  maxFrames: number;
  width: number;
}

export interface ModerationEngineOptions {
  maxPromptBytes: number;
  imageLimits: ImageLimits;
  sampling: FrameSamplingOptions;
  /** Worst frames kept per flagged category as evidence. */
  worstFramesKept: number;
  /** Deadline for each ffmpeg/ffprobe call. */
  mediaTimeoutMs: number;
}

export const DEFAULT_ENGINE_OPTIONS: ModerationEngineOptions = {
  maxPromptBytes: MAX_PROMPT_BYTES,
  imageLimits: DEFAULT_IMAGE_LIMITS,
  sampling: { intervalSeconds: 1, sceneThreshold: 0.4, maxFrames: 60, width: 640 },
  worstFramesKept: 3,
  mediaTimeoutMs: 120_000,
};

export interface ModerationEngineDeps {
  provider: ModerationProvider;
  /** Takes over when `provider` is down after its retries and the policy says `fallback_local`. */
  fallback?: ModerationProvider;
  policy: ModerationPolicy;
  /** On-screen text is read locally whatever the provider; its text is scored by the provider. */
  ocr: FrameTextReader;
  bins: FfmpegBinaries;
  options?: Partial<ModerationEngineOptions>;
}

export interface VideoModerationOptions {
  /** Frames already sampled by the pipeline; sampled here when absent. */
  frames?: readonly SampledFrame[];
  /** Where sampled frames (and so the evidence thumbnails) are written; a new temp dir when absent. Owned by the caller. */
  workDir?: string;
}

/**
 * The moderation check: the prompt and reference image before generation,
 * the clip after it. Each call returns a ModerationReport naming the policy
 * version and provider, with per-category verdicts and the evidence a
 * reviewer needs. Bad input throws ModerationInputError; a provider outage
 * throws a retryable ModerationProviderError unless the policy names the
 * local fallback: never a silent allow.
 */
export class ModerationEngine {
  readonly policy: ModerationPolicy;
  private readonly options: ModerationEngineOptions;
  private readonly sampler: FrameSampler;
  private readonly prober: MediaProber;
  private warming: Promise<void> | null = null;

  constructor(private readonly deps: ModerationEngineDeps) {
    this.policy = deps.policy;
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
    this.sampler = new FrameSampler(deps.bins, { timeoutMs: this.options.mediaTimeoutMs });
    this.prober = new MediaProber(deps.bins, { timeoutMs: this.options.mediaTimeoutMs });
  }

  async moderateText(text: string): Promise<ModerationReport> {
    const prompt = checkPromptText(text, this.options.maxPromptBytes);
    const session = this.session();
    const builder = new ReportBuilder(this.policy);
    this.addText(builder, 'prompt', await session.run((p) => p.scoreText(prompt, 'prompt')), session.name);
    return this.finish(builder, session, 'text', { status: 'not applicable' });
  }

  async moderateImage(path: string): Promise<ModerationReport> {
    const image = await inspectImage(path, this.options.imageLimits);
    const session = this.session();
    const builder = new ReportBuilder(this.policy);
    const [[pixels], onScreen] = await Promise.all([
      session.run((p) => p.scoreImages([{ path, mimeType: image.mimeType }])),
      this.readText(path),
    ]);
    this.addImage(builder, pixels, session.name);
    if (onScreen) this.addText(builder, 'on_screen_text', await session.run((p) => p.scoreText(onScreen, 'on_screen_text')), session.name);
    return this.finish(builder, session, 'image', { status: 'not applicable' });
  }

  async moderateVideo(path: string, options: VideoModerationOptions = {}): Promise<ModerationReport> {
    const probed = await this.probe(path);
    const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'provenant-moderation-')));
    const frames = options.frames ?? (await this.sample(path, join(workDir, 'frames')));
    if (frames.length === 0) throw new ModerationInputError('VIDEO_UNREADABLE', 'no frames could be sampled from the video');
    const session = this.session();
    const builder = new ReportBuilder(this.policy);
    const inputs: ImageInput[] = frames.map((f) => ({ path: f.path, mimeType: mimeTypeOf(f.path) }));

    const [pixelScores, textFrames, speech] = await Promise.all([
      session.run((p) => p.scoreImages(inputs)),
      this.scoreFrameText(frames, session),
      this.checkSpeech(path, probed.audioCodec !== null, workDir, session, builder),
    ]);

    const advisory = pixelScores.some((s) => s.advisory);
    const pixelFrames: ScoredFrame[] = frames.map((f, i) => ({ timestampSeconds: f.timestampSeconds, path: f.path, scores: pixelScores[i].scores }));
    this.addFrames(builder, 'frames', pixelFrames, new Set(advisory ? IMAGE_SCORED_CATEGORIES : []));
    const flaggedText = this.addFrames(builder, 'on_screen_text', textFrames.scored, new Set());
    builder.addEvidence(...textFrames.matches.filter((m) => flaggedText.has(m.category)));
    return this.finish(builder, session, 'video', speech, frames.length);
  }

  /**
   * Starts the local models this engine uses, the provider's (none for
   * openai) and the OCR worker (every provider reads on-screen text
   * locally), and runs one tiny inference on each, so the first clip pays
   * neither the model load nor the first wasm run. Idempotent; after a
   * failure the next call tries again. The fallback provider is not warmed:
   * it loads on first use, in an outage.
   */
  warmUp(): Promise<void> {
    this.warming ??= Promise.all([this.deps.provider.warmUp?.(), this.deps.ocr.warmUp()]).then(
      () => undefined,
      (err: unknown) => {
        this.warming = null;
        throw err;
      },
    );
    return this.warming;
  }

  /**
   * The same engine applying another policy, e.g. the version an admin just
   * stored. It shares this engine's providers and OCR worker: close only the
   * engine they were created for.
   */
  withPolicy(policy: ModerationPolicy): ModerationEngine {
    return policy === this.policy ? this : new ModerationEngine({ ...this.deps, policy });
  }

  async close(): Promise<void> {
    await Promise.all([this.deps.provider.close(), this.deps.fallback?.close(), this.deps.ocr.close()]);
  }

  private session(): ProviderSession {
    const fallback = this.policy.onProviderOutage === 'fallback_local' ? this.deps.fallback : undefined;
    return new ProviderSession(this.deps.provider, fallback);
  }

  private finish(
    builder: ReportBuilder,
    session: ProviderSession,
    input: ModerationReport['input'],
    speech: SpeechCoverage,
    framesSampled?: number,
  ): ModerationReport {
    if (session.fellBack) {
      builder.addEvidence({ kind: 'provider_fallback', from: this.deps.provider.name, to: session.name, reason: session.fellBack.message });
    }
    const models = [...session.models, ...(input === 'text' ? [] : [this.deps.ocr.model])];
    return builder.build({ input, provider: session.name, models, speech, framesSampled });
  }

  private addText(builder: ReportBuilder, source: TextSource, scoring: TextScoring, provider: string): void {
    builder.addScores(source, scoring.scores);
    builder.addEvidence(...scoring.matches);
    if (scoring.matches.length === 0) {
      for (const [category, score] of Object.entries(scoring.scores) as Array<[ModerationCategory, number]>) {
        builder.addEvidence({ kind: 'provider_score', source, category, provider, score });
      }
    }
    if (scoring.unreadableScripts.length > 0) {
      builder.requireReview({
        kind: 'unassessed_text',
        source,
        scripts: scoring.unreadableScripts,
        note: `the ${provider} text rules cannot read ${scoring.unreadableScripts.join(', ')} text; a reviewer must read it`,
      });
    }
  }

  private addImage(builder: ReportBuilder, scoring: ImageScoring, provider: string): void {
    builder.addScores('image', scoring.scores, { reviewOnly: scoring.advisory });
    for (const [category, score] of Object.entries(scoring.scores) as Array<[ModerationCategory, number]>) {
      builder.addEvidence({ kind: 'provider_score', source: 'image', category, provider, score });
    }
  }

  /** Aggregates per-frame scores into the report; returns the categories the frames flagged. */
  private addFrames(
    builder: ReportBuilder,
    source: FramesEvidence['source'],
    frames: ScoredFrame[],
    reviewOnly: ReadonlySet<ModerationCategory>,
  ): Set<ModerationCategory> {
    const flagged = new Set<ModerationCategory>();
    const aggregated = aggregateFrames(frames, this.policy, { source, reviewOnly, worstFramesKept: this.options.worstFramesKept });
    for (const [category, result] of aggregated) {
      builder.addDecided(source, category, result.evidence.maxScore, result.verdict);
      if (result.verdict !== 'allow') flagged.add(category);
      if (result.verdict !== 'allow' || result.evidence.note) builder.addEvidence(result.evidence);
    }
    return flagged;
  }

  /** OCR of every frame, one at a time (the OCR worker is single-threaded); identical consecutive text is scored once. */
  private async scoreFrameText(
    frames: readonly SampledFrame[],
    session: ProviderSession,
  ): Promise<{ scored: ScoredFrame[]; matches: TextMatchEvidence[] }> {
    const scored: ScoredFrame[] = [];
    const matches: TextMatchEvidence[] = [];
    let previous: { text: string; scoring: TextScoring } | null = null;
    for (const frame of frames) {
      const text = await this.readText(frame.path);
      if (!text) {
        scored.push({ timestampSeconds: frame.timestampSeconds, path: frame.path, scores: {} });
        continue;
      }
      const scoring: TextScoring =
        previous?.text === text ? previous.scoring : await session.run((p) => p.scoreText(text, 'on_screen_text'));
      previous = { text, scoring };
      scored.push({ timestampSeconds: frame.timestampSeconds, path: frame.path, scores: scoring.scores });
      matches.push(...scoring.matches.map((m) => ({ ...m, frameTimestampSeconds: frame.timestampSeconds })));
    }
    return { scored, matches };
  }

  private async readText(imagePath: string): Promise<string> {
    const read = await this.deps.ocr.read(imagePath);
    // Tesseract reads noise as a few stray characters; anything shorter than a word is not text.
    return read.text.replace(/\s+/g, ' ').trim().length >= 3 ? read.text.slice(0, this.options.maxPromptBytes) : '';
  }

  private async checkSpeech(
    path: string,
    hasAudio: boolean,
    workDir: string,
    session: ProviderSession,
    builder: ReportBuilder,
  ): Promise<SpeechCoverage> {
    if (!hasAudio) return { status: 'no audio' };
    const provider = session.current;
    if (!provider.transcribe) {
      return {
        status: 'not checked',
        reason:
          provider.name === 'local'
            ? 'no local speech transcription model is available; the audio was not assessed'
            : `speech transcription is not enabled for the ${provider.name} provider`,
      };
    }
    const audio = join(workDir, 'speech.mp3');
    await runProcess(
      this.deps.bins.ffmpeg,
      ['-hide_banner', '-nostdin', '-v', 'error', '-i', `file:${path}`, '-vn', '-ac', '1', '-ar', '16000', '-b:a', '48k', '-f', 'mp3', '-y', `file:${audio}`],
      { timeoutMs: this.options.mediaTimeoutMs },
    );
    let transcript: string;
    try {
      transcript = await provider.transcribe(audio);
    } catch (err) {
      if (!session.fallBack(err)) throw err;
      return { status: 'not checked', reason: `transcription failed and the fallback cannot transcribe: ${(err as Error).message}` };
    }
    if (transcript.trim()) {
      const text = transcript.slice(0, this.options.maxPromptBytes);
      this.addText(builder, 'speech', await session.run((p) => p.scoreText(text, 'speech')), session.name);
    }
    return { status: 'checked', transcriptChars: transcript.length };
  }

  private async probe(path: string) {
    try {
      return await this.prober.probe(path);
    } catch (err) {
      if (err instanceof MediaRejectedError) throw new ModerationInputError('VIDEO_UNREADABLE', `video rejected: ${err.reason}`);
      throw err;
    }
  }

  private async sample(path: string, outDir: string): Promise<SampledFrame[]> {
    await mkdir(outDir, { recursive: true });
    try {
      return await this.sampler.sample(path, outDir, { ...this.options.sampling, format: 'jpg' });
    } catch (err) {
      if (err instanceof MediaProcessError && err.code === 'EXIT') {
        throw new ModerationInputError('VIDEO_UNREADABLE', `frames could not be decoded: ${err.message}`);
      }
      throw err;
    }
  }
}

/**
 * The provider for one moderation call. When the configured provider is down
 * (a retryable error after its own retries) and a fallback is allowed, the
 * rest of the call uses the fallback and the report says so.
 */
class ProviderSession {
  fellBack: ModerationProviderError | null = null;
  current: ModerationProvider;

  constructor(
    primary: ModerationProvider,
    private readonly fallback: ModerationProvider | undefined,
  ) {
    this.current = primary;
  }

  get name(): string {
    return this.current.name;
  }

  get models(): readonly string[] {
    return this.current.models;
  }

  async run<T>(call: (provider: ModerationProvider) => Promise<T>): Promise<T> {
    const provider = this.current;
    try {
      return await call(provider);
    } catch (err) {
      if (!this.fallBack(err)) throw err;
      return call(this.current);
    }
  }

  /** Switches to the fallback for a retryable provider error; false when the error must propagate. */
  fallBack(err: unknown): boolean {
    if (!(err instanceof ModerationProviderError) || !err.retryable || !this.fallback || err.provider === this.fallback.name) return false;
    this.fellBack ??= err;
    this.current = this.fallback;
    return true;
  }
}

function mimeTypeOf(path: string): ImageInput['mimeType'] {
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'image/png';
  if (ext === '.webp') return 'image/webp';
  return 'image/jpeg';
}
