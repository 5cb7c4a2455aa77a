import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { WorkerTuning } from '../../src/core/runtime';
import { TEST_API_KEY } from './app';
import { freePort } from './ports';

const ROOT = process.cwd();
const ENGINE_INSTANCE = 'test/kit/service-instance.ts';
const WEBHOOK_WORKER = 'test/webhooks/worker-process.ts';
/** The child processes' entries, compiled with the service. */
const ENTRIES = [ENGINE_INSTANCE, WEBHOOK_WORKER];
const TYPESCRIPT = /\.m?ts$/;
/** Inside node_modules so the compiled files resolve packages from the project. */
const CACHE = join(ROOT, 'node_modules/.cache/test-processes');

/** Every source file that goes into the build, with its size and time: the cache key. */
function sourceFingerprint(): string {
  const hash = createHash('sha1');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (TYPESCRIPT.test(name))
        hash.update(`${relative(ROOT, path)}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  for (const dir of ['src', 'migrations', 'test/kit', 'test/webhooks']) walk(join(ROOT, dir));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Compiles the service plus the child processes' entries into a private folder (not dist/, which
 * `nest build` wipes and other tests use), file by file without type checking, as ts-jest does
 * for the tests (about 2 s instead of 15 for tsc). Reused while no source file changes.
 * `.ts` files become CommonJS, as in dist/; `.mts` files ES modules (`.mjs`), as tsc does.
 */
async function buildTestProcesses(): Promise<string> {
  const key = sourceFingerprint();
  const out = join(CACHE, key);
  if (ENTRIES.every((entry) => existsSync(compiled(out, entry)))) return out;
  rmSync(CACHE, { recursive: true, force: true });
  const ts = (await import('typescript')).default;
  const compilerOptions = {
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    isolatedModules: true,
  };
  const files: string[] = ENTRIES.map((entry) => join(ROOT, entry));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (TYPESCRIPT.test(name) && !name.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'migrations'));
  for (const file of files) {
    const esm = file.endsWith('.mts');
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: {
        ...compilerOptions,
        module: esm ? ts.ModuleKind.ES2022 : ts.ModuleKind.CommonJS,
      },
      fileName: file,
    });
    const target = compiled(out, relative(ROOT, file));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return out;
}

function compiled(out: string, source: string): string {
  return join(out, source.replace(/\.(m?)ts$/, '.$1js'));
}

/** The service instance (service-instance.ts), compiled; its path. */
export async function buildEngineInstance(): Promise<string> {
  return compiled(await buildTestProcesses(), ENGINE_INSTANCE);
}

/** The webhook worker process (test/webhooks/worker-process.ts), compiled; its path. */
export async function buildWebhookWorker(): Promise<string> {
  return compiled(await buildTestProcesses(), WEBHOOK_WORKER);
}

export interface EngineProcess {
  proc: ChildProcess;
  port: number;
  output(): string;
  ready(timeoutMs?: number): Promise<void>;
  exited(): Promise<number | null>;
}

export interface SpawnOptions {
  main: string;
  databaseUrl: string;
  platformUrl: string;
  platformKey: string;
  role: 'all' | 'api' | 'worker';
  tuning: Partial<WorkerTuning>;
  env?: Record<string, string>;
}

export async function spawnEngine(o: SpawnOptions): Promise<EngineProcess> {
  const port = await freePort();
  const proc = spawn(process.execPath, [o.main], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: o.databaseUrl,
      CALLROUNDED_API_URL: o.platformUrl,
      CALLROUNDED_API_KEY: o.platformKey,
      CALLROUNDED_TIMEOUT_MS: '2000',
      API_KEYS: TEST_API_KEY,
      APP_ROLE: o.role,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ENGINE_WORKER_TUNING: JSON.stringify(o.tuning),
      ...o.env,
    },
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  let exitedWith: number | null | undefined;
  void exit.then((c) => (exitedWith = c));
  return {
    proc,
    port,
    output: () => out,
    exited: () => exit,
    ready: async (timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (out.includes('ENGINE INSTANCE READY')) return;
        if (exitedWith !== undefined) throw new Error(`instance exited (${exitedWith}):\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`instance not ready after ${timeoutMs} ms:\n${out}`);
    },
  };
}
