import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../core/tokens';
import { AccountStatus } from './account-status';
import { ApiKeys } from './api-keys';
import { Authenticator } from './authenticator';
import { jwtOptions } from './jwt-options';
import { jwtSecret } from './secrets';
import { TokenService } from './token-service';

/** Checking credentials (tokens, API keys), without the routes that issue them: the api's guard and the worker's /metrics use it. */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      useFactory: (cfg: AppConfig) => jwtOptions(jwtSecret(cfg)),
      inject: [APP_CONFIG],
    }),
  ],
  providers: [TokenService, ApiKeys, AccountStatus, Authenticator],
  exports: [TokenService, ApiKeys, AccountStatus, Authenticator],
})
export class AuthenticationModule {}
