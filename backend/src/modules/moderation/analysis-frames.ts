import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StageResultRepository } from '../pipeline/stage-result.repository';

/** A frame the media_analysis stage sampled and stored: the clip moderation looks at exactly these. */
export interface AnalysedFrame {
  timestampSeconds: number;
  reason: 'interval' | 'scene';
  sha256: string;
}

export interface AnalysedFrameSource {
  /** The stored frames of a clip, in time order; an error when media analysis has not succeeded. */
  framesOf(clipId: string): Promise<AnalysedFrame[]>;
}

/** The watermark detector's luma evidence media analysis stored (serializeLumaEvidence), or why there is none (a picture too small to carry a mark). */
export type StoredLumaEvidence = { sha256: string; frames: number; width: number; height: number } | { reason: string };

export interface AnalysedLumaSource {
  /** An error when media analysis has not succeeded or was not asked for the evidence (the stage reading it must declare `frames`). */
  watermarkLumaOf(clipId: string): Promise<StoredLumaEvidence>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Reads the pictures from the media_analysis stage result, checking their shape: the result is JSON from the database. */
@Injectable()
export class AnalysedFrames implements AnalysedFrameSource, AnalysedLumaSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stageResults: StageResultRepository,
  ) {}

  async framesOf(clipId: string): Promise<AnalysedFrame[]> {
    const row = await this.analysis(clipId);
    const frames = Array.isArray(row.result.frames) ? row.result.frames : [];
    const valid = frames.filter(
      (f): f is AnalysedFrame =>
        typeof f?.sha256 === 'string' && SHA256_HEX.test(f.sha256) && Number.isFinite(f.timestampSeconds) && (f.reason === 'interval' || f.reason === 'scene'),
    );
    if (valid.length !== frames.length) throw new Error(`media analysis of clip ${clipId} lists frames without a timestamp, reason or content hash`);
    return valid
      .map(({ timestampSeconds, reason, sha256 }) => ({ timestampSeconds, reason, sha256 }))
      .sort((a, b) => a.timestampSeconds - b.timestampSeconds);
  }

  async watermarkLumaOf(clipId: string): Promise<StoredLumaEvidence> {
    const luma = (await this.analysis(clipId)).result.watermarkLuma as Record<string, unknown> | undefined;
    if (typeof luma?.reason === 'string') return { reason: luma.reason };
    if (typeof luma?.sha256 === 'string' && SHA256_HEX.test(luma.sha256) && [luma.frames, luma.width, luma.height].every(Number.isInteger)) {
      return { sha256: luma.sha256, frames: luma.frames as number, width: luma.width as number, height: luma.height as number };
    }
    throw new Error(`media analysis of clip ${clipId} stored no watermark luma evidence`);
  }

  private async analysis(clipId: string) {
    const row = await this.stageResults.succeeded(this.dataSource, clipId, 'media_analysis');
    if (!row) throw new Error(`clip ${clipId} has no successful media analysis`);
    return row;
  }
}
