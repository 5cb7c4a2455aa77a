import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { applyConventions } from './openapi-conventions';
import { toOpenApi31 } from './openapi-31';

/**
 * The OpenAPI 3.1 document of the HTTP API: the controllers' decorators, the conventions every
 * route shares (src/openapi-conventions.ts), in the form strict validators and generators read.
 * clients/typescript/schema.d.ts is generated from it (`npm run openapi:types`).
 */
export function buildOpenApiDocument(app: INestApplication): Record<string, unknown> {
  const config = new DocumentBuilder()
    .setTitle('CallRounded campaign orchestrator')
    .setDescription(
      'Upload lead lists, run outbound calling campaigns on CallRounded, and export the lead-qualification report. ' +
        'Every /v1 route needs the X-Api-Key header; /health, /metrics and /docs need none. ' +
        'Every error answer is `{statusCode, error, message, details?}`.',
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', name: 'X-Api-Key', in: 'header' }, 'api-key')
    .addSecurityRequirements('api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  return toOpenApi31(applyConventions(document)) as unknown as Record<string, unknown>;
}

/** Serves the OpenAPI UI at /docs and the document at /docs-json. */
export function setupOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document as unknown as OpenAPIObject, {
    jsonDocumentUrl: 'docs-json',
  });
}
