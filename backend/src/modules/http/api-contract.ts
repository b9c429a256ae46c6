import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { z, type ZodObject, type ZodType } from 'zod';
import { ACCESS_POLICY, type AccessPolicy } from '../auth/access-policy';
import { API_KEY_ROLES } from '../auth/api-keys';

/** A type from @provenant/shared whose schema shared/dist/api-schemas.json holds (generated from the type itself). */
export type AnswerType = string;

type Answer =
  | { status: number; type: AnswerType | AnswerType[]; array?: boolean }
  | { status: number; contentType: string; description: string }
  | { status: 204 };

export interface RouteContract {
  summary: string;
  /** The zod schema the route validates its JSON body with, the shared type it reads it as, or the multipart fields it reads. */
  body?: ZodType | { type: AnswerType } | { multipart: Record<string, { description: string; required?: boolean; binary?: boolean }> };
  /** The query parameters, as the route reads them. */
  query?: ZodObject;
  answer: Answer;
  /** Error statuses this route answers with beyond those of its access policy and the shared ones (500, 503). */
  errors?: number[];
  /** Other documented answers, e.g. a 503 whose body is not the error shape. */
  more?: Answer[];
}

export const componentRef = (type: AnswerType) => ({ $ref: `#/components/schemas/${type}` });

/** JSON Schema of a zod schema as OpenAPI 3.1 holds it (same dialect, without $schema). */
export function jsonSchemaOf(schema: ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function answerDecorator(answer: Answer): MethodDecorator {
  if ('type' in answer) {
    const types = [answer.type].flat();
    const one = types.length === 1 ? componentRef(types[0]) : { oneOf: types.map(componentRef) };
    return ApiResponse({ status: answer.status, description: types.join(' or '), schema: answer.array ? { type: 'array', items: one } : one });
  }
  if ('contentType' in answer) return ApiResponse({ status: answer.status, description: answer.description, content: { [answer.contentType]: { schema: { type: 'string' } } } });
  return ApiResponse({ status: 204, description: 'done; no body' });
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'bad input; the message names the field and the problem',
  401: 'no valid credentials',
  403: 'signed in, but no role that may do this',
  404: 'no such resource, or not visible to the caller',
  409: 'conflicts with the current state',
  413: 'the upload is larger than the limit',
  429: 'rate-limited; Retry-After says when to try again',
  500: 'unexpected server error',
  503: 'the database is unavailable; Retry-After says when to try again',
};

/**
 * The route's place in the OpenAPI document: its body (from the zod schema it
 * validates with), query, answers and errors, and its security from the
 * access policy. Put it above @Roles/@Public/@Authenticated: it reads the
 * policy they set.
 */
export function ApiContract(contract: RouteContract): MethodDecorator {
  return (target, key, descriptor) => {
    const policy = Reflect.getMetadata(ACCESS_POLICY, descriptor.value as object) as AccessPolicy | undefined;
    if (!policy) throw new Error(`${String(key)}: put @ApiContract above the route's access policy`);
    const errors = new Set([...(contract.errors ?? []), 500, 503]);
    const decorators: MethodDecorator[] = [ApiOperation({ summary: contract.summary }), answerDecorator(contract.answer), ...(contract.more ?? []).map(answerDecorator)];
    if (policy.kind === 'roles') {
      errors.add(401).add(403);
      decorators.push(ApiSecurity('bearer'));
      if (policy.roles.some((r) => API_KEY_ROLES.includes(r))) decorators.push(ApiSecurity('apiKey'));
    }
    for (const status of [...errors].sort()) {
      if (!contract.more?.some((a) => a.status === status)) decorators.push(ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'error', schema: componentRef('ApiErrorDto') }));
    }
    if (contract.body instanceof z.ZodType) {
      decorators.push(ApiBody({ schema: jsonSchemaOf(contract.body) as never }));
    } else if (contract.body && 'multipart' in contract.body) {
      const fields = Object.entries(contract.body.multipart);
      const properties = Object.fromEntries(fields.map(([name, f]) => [name, { type: 'string', description: f.description, ...(f.binary ? { format: 'binary' } : {}) }]));
      decorators.push(ApiBody({ schema: { type: 'object', properties, required: fields.filter(([, f]) => f.required).map(([n]) => n) } }));
    } else if (contract.body) {
      decorators.push(ApiBody({ schema: componentRef(contract.body.type) }));
    }
    for (const [name, field] of Object.entries(contract.query?.shape ?? {})) {
      const schema = jsonSchemaOf(field as ZodType);
      decorators.push(ApiQuery({ name, required: !(field as ZodType).safeParse(undefined).success, description: schema.description as string | undefined, schema: schema as never }));
    }
    applyDecorators(...decorators)(target, key, descriptor);
  };
}
