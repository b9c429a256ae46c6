import { Module } from '@nestjs/common';
import { AppealsModule } from './modules/appeals/appeals.module';
import { AuditApiModule } from './modules/audit/audit-api.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { CataloguesModule } from './modules/catalogues/catalogues.module';
import { ClipsModule } from './modules/clips/clips.module';
import { CoreModule } from './modules/core/core.module';
import { LifecycleModule } from './modules/lifecycle/lifecycle.module';
import { LikenessApiModule } from './modules/likeness/likeness-api.module';
import { ModerationApiModule } from './modules/moderation/moderation-api.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { OpsModule } from './modules/ops/ops.module';
import { OutboxModule } from './modules/outbox/outbox.module';
import { ProvenanceApiModule } from './modules/provenance/provenance-api.module';
import { ReviewModule } from './modules/review/review.module';

/** The HTTP process: intake, reading, review, the likeness registry, moderation policy, publisher verification, webhooks, auth, operations, catalogues. It also relays the outbox. */
@Module({ imports: [CoreModule, AuditModule, LifecycleModule, AuditApiModule, OutboxModule, AuthModule, ClipsModule, ReviewModule, AppealsModule, LikenessApiModule, ModerationApiModule, NotificationsModule, ProvenanceApiModule, OpsModule, CataloguesModule] })
export class ApiModule {}
