import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CheckVerdict, StageName, StageStatus } from '@provenant/shared';

@Entity('stage_results')
export class StageResultEntity {
  @PrimaryColumn('uuid', { name: 'clip_id' }) clipId: string;
  @PrimaryColumn('text') stage: StageName;
  @Column('text') status: StageStatus;
  @Column('text', { nullable: true }) verdict: CheckVerdict | null;
  @Column('integer') attempts: number;
  @Column('jsonb') result: Record<string, unknown>;
  @Column('text', { nullable: true }) error: string | null;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'finished_at' }) finishedAt: Date;
}
