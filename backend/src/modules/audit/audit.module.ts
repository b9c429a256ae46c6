import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../core/tokens';
import { AuditLog } from './audit-log';
import { AuditLogIntegrator } from './audit-log-integrator';
import { loadCheckpointSigner } from './audit-signing-key';
import { AUDIT_SIGNER } from './audit-tokens';

/** The append side and the integrator, in every process. The read/verify API lives in AuditApiModule. */
@Global()
@Module({
  providers: [AuditLog, AuditLogIntegrator, { provide: AUDIT_SIGNER, useFactory: (cfg: AppConfig) => loadCheckpointSigner(cfg), inject: [APP_CONFIG] }],
  exports: [AuditLog, AuditLogIntegrator, AUDIT_SIGNER],
})
export class AuditModule {}
