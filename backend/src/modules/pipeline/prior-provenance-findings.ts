import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PriorProvenanceResult } from '@provenant/shared';
import { StageResultRepository } from './stage-result.repository';
import type { PriorMark, PriorMarkSource } from './stages/watermark.stage';

/** Reads the prior_provenance stage result of a clip, for the watermark stage that marks it afterwards. */
@Injectable()
export class PriorProvenanceFindings implements PriorMarkSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stageResults: StageResultRepository,
  ) {}

  async priorMarkOf(clipId: string): Promise<PriorMark | null> {
    const row = await this.stageResults.succeeded(this.dataSource, clipId, 'prior_provenance');
    const finding = row?.result as PriorProvenanceResult | undefined;
    if (!finding?.originalClipId || !finding.watermark?.found || typeof finding.watermark.payload !== 'string') return null;
    return { originalClipId: finding.originalClipId, payload: finding.watermark.payload };
  }
}
