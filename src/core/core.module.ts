import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CLOCK, defaultWorkerTuning, Runtime, RUNTIME, WORKER_TUNING } from './runtime';

/** Makes the resolved runtime, configuration, clock and worker tuning injectable everywhere. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(runtime: Runtime): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: AppConfig, useValue: runtime.config },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: WORKER_TUNING, useValue: { ...defaultWorkerTuning, ...runtime.worker } },
      ],
      exports: [RUNTIME, AppConfig, CLOCK, WORKER_TUNING],
    };
  }
}
