import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ClipSource, ClipState, MediaInfoDto } from '@provenant/shared';

@Entity('clips')
export class ClipEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Changed only through ClipTransitions, never by a plain save. */
  @Column({ type: 'text', update: false }) state: ClipState;
  @Column('text') source: ClipSource;
  @Column('text', { nullable: true }) prompt: string | null;
  @Column('text', { nullable: true }) generator: string | null;
  @Column('text', { name: 'reference_image_sha256', nullable: true }) referenceImageSha256: string | null;
  @Column('text', { name: 'reference_image_type', nullable: true }) referenceImageType: string | null;
  @Column('text', { name: 'media_sha256', nullable: true }) mediaSha256: string | null;
  @Column('jsonb', { nullable: true }) media: MediaInfoDto | null;
  @Column('uuid', { name: 'created_by' }) createdBy: string;
  @Column('boolean') flagged: boolean;
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
