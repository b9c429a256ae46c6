import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Users } from '../users/users';
import { UsersController } from '../users/users.controller';
import { AccessDenials } from './access-denials';
import { AuthController } from './auth.controller';
import { AuthenticationModule } from './authentication.module';
import { AuthGuard } from './auth.guard';
import { LoginThrottle } from './login-throttle';
import { Pseudonyms } from './pseudonyms';
import { RefreshSessions } from './refresh-sessions';
import { pseudonymKey } from './secrets';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../core/tokens';

@Global()
@Module({
  imports: [AuthenticationModule],
  controllers: [AuthController, UsersController],
  providers: [
    RefreshSessions,
    AccessDenials,
    Users,
    LoginThrottle,
    { provide: Pseudonyms, useFactory: (cfg: AppConfig) => new Pseudonyms(pseudonymKey(cfg)), inject: [APP_CONFIG] },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [Users],
})
export class AuthModule {}
