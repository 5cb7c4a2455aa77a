import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** A started service: the HTTP app listening (roles `api`, `all`) or the worker context. */
export interface RunningService {
  app: INestApplicationContext;
  /** The HTTP app, for the HTTP roles. */
  http?: INestApplication;
  /** The port it listens on, for the HTTP roles. */
  port?: number;
  close(): Promise<void>;
}

export interface ListenAt {
  port: number;
  /** Unset: every interface. */
  host?: string;
}

/**
 * Starts the service in the role `runtime.config.APP_ROLE` names: the one way main, the demo,
 * the tests' child processes and the benchmarks start it. The worker starts its loops here.
 */
export async function startService(
  runtime: Runtime,
  listen: ListenAt = { port: runtime.config.PORT, host: runtime.config.BIND_ADDRESS },
): Promise<RunningService> {
  if (runtime.config.APP_ROLE === 'worker') {
    const app = await createWorkerContext(runtime);
    await app.init();
    return { app, close: () => app.close() };
  }
  const http = await createHttpApp(runtime);
  if (listen.host) await http.listen(listen.port, listen.host);
  else await http.listen(listen.port);
  const address = (http.getHttpServer() as Server).address() as AddressInfo;
  return { app: http, http, port: address.port, close: () => http.close() };
}
