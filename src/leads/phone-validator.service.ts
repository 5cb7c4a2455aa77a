import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { CountryCode } from 'libphonenumber-js/core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { normalizePhone, type PhoneResult } from './csv/phone-normalizer';
import type { PhoneCheckRequest, PhoneCheckResponse } from './csv/phone-worker';

/**
 * Validates an import's phone cells on a worker thread. libphonenumber's full validation is
 * about half of the CPU an import needs per row; on the thread that parses the file it was the
 * longest stage of the pipeline. On its own thread it runs beside the parsing (the database
 * works on its own core too), and batches of cells go back and forth as plain string arrays.
 *
 * One worker per process, started on first use, shared by the imports running at once (answers
 * come back in request order). Without the compiled worker file (sources run by Jest without a
 * build), the same function runs inline.
 */
@Injectable()
export class PhoneValidator implements OnModuleDestroy {
  private readonly logger = new Logger(PhoneValidator.name);
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (answers: PhoneResult[]) => void; reject: (err: Error) => void }
  >();

  /** One result per cell, in order. */
  validate(cells: string[], country: CountryCode | undefined): Promise<PhoneResult[]> {
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve(cells.map((c) => normalizePhone(c, country)));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, cells, country: country ?? null } satisfies PhoneCheckRequest);
    });
  }

  /** Whether the numbers are checked on a worker thread (false: inline, without a build). */
  get onWorkerThread(): boolean {
    return this.ensureWorker() !== null;
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker;
    const file = workerFile();
    if (!file) return null;
    const worker = new Worker(file);
    // Idle, it must not keep the process alive.
    worker.unref();
    worker.on('message', ({ id, answers }: PhoneCheckResponse) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      waiter?.resolve(
        answers.map((a) => (a.startsWith('+') ? { ok: true, e164: a } : { ok: false, message: a })),
      );
    });
    const fail = (err: Error) => {
      this.logger.error(`Phone validation worker stopped: ${err.message}`);
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.waiting.values()) waiter.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.worker === worker && code !== 0) fail(new Error(`exit code ${code}`));
      else if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }
}

let located: string | null | undefined;

/** The compiled worker: next to this file in the build, else in the build from the project root. */
function workerFile(): string | null {
  if (located !== undefined) return located;
  const candidates: string[] = [];
  // __dirname exists in the compiled CommonJS build only; Jest runs the sources as ES modules.
  if (typeof __dirname === 'string') candidates.push(join(__dirname, 'csv', 'phone-worker.js'));
  candidates.push(join(process.cwd(), 'dist', 'src', 'leads', 'csv', 'phone-worker.js'));
  located = candidates.find((f) => existsSync(f)) ?? null;
  if (!located) {
    new Logger(PhoneValidator.name).warn(
      'Phone validation runs inline: the compiled worker was not found (npm run build)',
    );
  }
  return located;
}
