import { ApiKeyEntity } from './api-key.entity';
import { AuditEventEntity } from './audit-event.entity';
import { ClipEntity } from './clip.entity';
import { OutboxEntryEntity } from './outbox-entry.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { StageResultEntity } from './stage-result.entity';
import { UserEntity } from './user.entity';

export { ApiKeyEntity, AuditEventEntity, ClipEntity, OutboxEntryEntity, RefreshTokenEntity, StageResultEntity, UserEntity };
export const entities = [ApiKeyEntity, AuditEventEntity, ClipEntity, OutboxEntryEntity, RefreshTokenEntity, StageResultEntity, UserEntity];
