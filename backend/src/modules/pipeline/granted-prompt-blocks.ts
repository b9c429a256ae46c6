import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ModerationCategory, ModerationStageResult } from '@provenant/shared';
import { blockingCategories } from '../moderation/moderation-outcome';
import { StageResultRepository } from './stage-result.repository';
import type { GrantedCategorySource } from './stages/clip-moderation.stage';

/** The categories of a clip's prompt block, read from its prompt_moderation result, for the clip moderation after a granted appeal. */
@Injectable()
export class GrantedPromptBlocks implements GrantedCategorySource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stageResults: StageResultRepository,
  ) {}

  async categoriesOf(clipId: string): Promise<ReadonlySet<ModerationCategory>> {
    const row = await this.stageResults.succeeded(this.dataSource, clipId, 'prompt_moderation');
    const result = row?.result as ModerationStageResult | undefined;
    return new Set((result?.reports ?? []).flatMap((r) => blockingCategories(r.report)));
  }
}
