import {
  DynamicModule,
  Global,
  Module,
  type InjectionToken,
  type ModuleMetadata,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { CallRoundedClient, type CallRoundedClientOptions } from './callrounded.client';

export interface CallRoundedModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory: (...args: never[]) => CallRoundedClientOptions | Promise<CallRoundedClientOptions>;
}

/** Makes one shared CallRoundedClient injectable everywhere (one keep-alive pool per process). */
@Global()
@Module({})
export class CallRoundedModule {
  static forRoot(options: CallRoundedClientOptions): DynamicModule {
    return {
      module: CallRoundedModule,
      providers: [{ provide: CallRoundedClient, useFactory: () => new CallRoundedClient(options) }],
      exports: [CallRoundedClient],
    };
  }

  static forRootAsync(options: CallRoundedModuleAsyncOptions): DynamicModule {
    return {
      module: CallRoundedModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: CallRoundedClient,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) =>
            new CallRoundedClient(await options.useFactory(...args)),
        },
      ],
      exports: [CallRoundedClient],
    };
  }
}
