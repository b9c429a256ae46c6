import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Append-only: the database refuses UPDATE, DELETE and TRUNCATE. Written only by AuditLog, which assigns the gap-free seq. */
@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn({ type: 'bigint' }) seq: string;
  @Column('timestamptz') at: Date;
  @Column('text') actor: string;
  @Column('text') action: string;
  @Column('text', { name: 'subject_type' }) subjectType: string;
  @Column('text', { name: 'subject_id' }) subjectId: string;
  @Column('jsonb') body: Record<string, unknown>;
}
