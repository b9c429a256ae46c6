import { Module } from '@nestjs/common';
import { AuditApiModule } from './modules/audit/audit-api.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { ClipsModule } from './modules/clips/clips.module';
import { CoreModule } from './modules/core/core.module';
import { OpsModule } from './modules/ops/ops.module';
import { OutboxModule } from './modules/outbox/outbox.module';

/** The HTTP process: intake, reading, auth, operations. It also relays the outbox. */
@Module({ imports: [CoreModule, AuditModule, AuditApiModule, OutboxModule, AuthModule, ClipsModule, OpsModule] })
export class ApiModule {}
