import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../core/tokens';
import { Users } from '../users/users';
import { UsersController } from '../users/users.controller';
import { AccessDenials } from './access-denials';
import { AccountStatus } from './account-status';
import { ApiKeys } from './api-keys';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { jwtOptions } from './jwt-options';
import { LoginThrottle } from './login-throttle';
import { Pseudonyms } from './pseudonyms';
import { RefreshSessions } from './refresh-sessions';
import { jwtSecret, pseudonymKey } from './secrets';
import { TokenService } from './token-service';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      useFactory: (cfg: AppConfig) => jwtOptions(jwtSecret(cfg)),
      inject: [APP_CONFIG],
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    TokenService,
    RefreshSessions,
    ApiKeys,
    AccountStatus,
    AccessDenials,
    Users,
    LoginThrottle,
    { provide: Pseudonyms, useFactory: (cfg: AppConfig) => new Pseudonyms(pseudonymKey(cfg)), inject: [APP_CONFIG] },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [Users, TokenService, ApiKeys, AccountStatus],
})
export class AuthModule {}
