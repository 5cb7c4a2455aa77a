import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { refuseDeepJson } from './common/json-depth';
import { securityHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation';
import { Runtime } from './core/runtime';
import { setupOpenApi } from './openapi';

/** The HTTP service (roles `all` and `api`); not yet listening. */
export async function createHttpApp(runtime: Runtime): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(runtime), {
    bufferLogs: true,
    // Lead files are streamed by their controller; JSON bodies stay small.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(securityHeaders);
  app.useBodyParser('json', { limit: '5mb' });
  app.use(refuseDeepJson);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.disable('x-powered-by');
  setupOpenApi(app);
  return app;
}

/** The worker (role `worker`): scheduler, dialer and poller, with no HTTP server. */
export async function createWorkerContext(runtime: Runtime): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(runtime), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  return app;
}
