import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ROLES, type CreatedApiKeyDto, type UserDto } from '@provenant/shared';
import { Roles } from '../auth/access-policy';
import { ApiKeys } from '../auth/api-keys';
import { actorOf, CurrentPrincipal, type Principal } from '../auth/principal';
import { plainText } from '../http/free-text.schema';
import { ZodBody } from '../http/zod-body.pipe';
import { Users } from './users';
import { ApiContract } from '../http/api-contract';

const CreateUserBody = z.object({
  email: z.string().trim().email('must be an e-mail address').max(254),
  password: z.string().min(12, 'must be at least 12 characters').max(512),
  roles: z.array(z.enum(ROLES)).min(1, 'must list at least one role'),
}).meta({ examples: [{ email: 'reviewer@example.com', password: 'a long passphrase', roles: ['reviewer'] }] });
const UpdateUserBody = z
  .object({
    disabled: z.boolean({ message: 'must be true or false' }).optional(),
    roles: z.array(z.enum(ROLES)).min(1, 'must list at least one role').optional(),
  })
  .strict()
  .refine((b) => b.disabled !== undefined || b.roles !== undefined, 'give disabled, roles or both')
  .meta({ examples: [{ disabled: true }, { roles: ['senior_reviewer'] }] });
const CreateKeyBody = z.object({ name: plainText(z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters')), userId: z.string().uuid('must be a user id') }).meta({
  examples: [{ name: 'studio pipeline', userId: '3f0c1e52-8a4b-4c7e-9d1a-2b5e6f7a8c90' }],
});

@ApiTags('admin')
@Controller('api/v1')
export class UsersController {
  constructor(
    private readonly users: Users,
    private readonly apiKeys: ApiKeys,
  ) {}

  @Post('users')
  @ApiContract({ summary: 'Create an account', body: CreateUserBody, answer: { status: 201, type: 'UserDto' }, errors: [400, 409] })
  @Roles('admin')
  create(@Body(new ZodBody(CreateUserBody)) body: z.infer<typeof CreateUserBody>, @CurrentPrincipal() p: Principal): Promise<UserDto> {
    return this.users.create(body.email, body.password, [...new Set(body.roles)], actorOf(p));
  }

  @Get('users')
  @ApiContract({ summary: 'All accounts', answer: { status: 200, type: 'UserDto', array: true } })
  @Roles('admin')
  list(): Promise<UserDto[]> {
    return this.users.list();
  }

  /** Disable or enable an account, or replace its roles. Disabling revokes its refresh tokens, API keys and review claims. */
  @Patch('users/:id')
  @ApiContract({ summary: 'Disable or enable an account, or replace its roles', body: UpdateUserBody, answer: { status: 200, type: 'UserDto' }, errors: [400, 404, 409] })
  @Roles('admin')
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body(new ZodBody(UpdateUserBody)) body: z.infer<typeof UpdateUserBody>, @CurrentPrincipal() p: Principal): Promise<UserDto> {
    return this.users.update(id, { disabled: body.disabled, roles: body.roles && [...new Set(body.roles)] }, actorOf(p));
  }

  /** Right to erasure: removes the person's personal data; the audit log stays verifiable. */
  @Delete('users/:id/personal-data')
  @ApiContract({ summary: 'Erase a person’s personal data', answer: { status: 200, type: 'ErasureResultDto' }, errors: [400, 404, 409] })
  @Roles('admin')
  erase(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() p: Principal): Promise<{ clipsErased: number }> {
    return this.users.erasePersonalData(id, actorOf(p));
  }

  @Post('api-keys')
  @ApiContract({ summary: 'Create an API key for a creator or publisher (shown once)', body: CreateKeyBody, answer: { status: 201, type: 'CreatedApiKeyDto' }, errors: [400, 404] })
  @Roles('admin')
  createKey(@Body(new ZodBody(CreateKeyBody)) body: z.infer<typeof CreateKeyBody>, @CurrentPrincipal() p: Principal): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(body.userId, body.name, actorOf(p));
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiContract({ summary: 'Revoke an API key', answer: { status: 204 }, errors: [400, 404] })
  @Roles('admin')
  revokeKey(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() p: Principal): Promise<void> {
    return this.apiKeys.revoke(id, actorOf(p));
  }
}
