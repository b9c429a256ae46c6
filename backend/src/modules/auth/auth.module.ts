import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Users } from '../users/users';
import { UsersController } from '../users/users.controller';
import { AuthController } from './auth.controller';
import { AuthenticationModule } from './authentication.module';
import { AuthGuard } from './auth.guard';
import { RefreshSessions } from './refresh-sessions';

@Global()
@Module({
  imports: [AuthenticationModule],
  controllers: [AuthController, UsersController],
  providers: [RefreshSessions, Users, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [Users],
})
export class AuthModule {}
