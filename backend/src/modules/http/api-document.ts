import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import API_SCHEMAS from '@provenant/shared/dist/api-schemas.json';

/**
 * The OpenAPI 3.1 document served at /api/docs-json: operations from the
 * controllers' @ApiContract, answer schemas generated from the shared types
 * at build time (shared/dist/api-schemas.json), request bodies from the zod
 * schemas the routes validate with.
 */
export function apiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Provenant API')
    .setDescription('Provenance and safety review for AI-generated video. Errors are `ApiErrorDto`: the message names the field and the problem.')
    .setVersion('1')
    .setOpenAPIVersion('3.1.0')
    .addSecurity('bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'an access token from POST /api/v1/auth/login' })
    .addSecurity('apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'an integration key (creator or publisher roles only) from POST /api/v1/api-keys' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...(API_SCHEMAS as OpenAPIObject['components'] & object) } };
  return document;
}
