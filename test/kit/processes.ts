import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports';

/** The compiled service; `npm test` builds it before Jest runs (`npm run build` when running Jest alone). */
export const MAIN_JS = join(process.cwd(), 'dist/src/main.js');

export interface ServiceProcess {
  proc: ChildProcess;
  port: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once /health answers 200 (HTTP roles) or the log says the worker started. */
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code. */
  exited(): Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
  /** Sends `signal` and resolves with the exit code and, when it is not 0, what the process printed. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; output?: string }>;
}

/** Runs the built service as a real child process, as an operator would. */
export async function spawnService(
  env: Record<string, string>,
  cwd = process.cwd(),
): Promise<ServiceProcess> {
  if (!existsSync(MAIN_JS))
    throw new Error(`${MAIN_JS} is missing: run \`npm run build\` first (npm test does it)`);
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    LOG_LEVEL: 'info',
    ...env,
    PORT: String(port),
  };
  const proc = spawn(process.execPath, [MAIN_JS], {
    cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  let exitedCode: number | null | undefined;
  void exit.then((c) => (exitedCode = c));
  return {
    proc,
    port,
    output: () => out,
    exited: () => exit,
    kill: (signal = 'SIGTERM') => proc.kill(signal),
    stop: async (signal = 'SIGTERM') => {
      proc.kill(signal);
      const code = await exit;
      return code === 0 ? { code } : { code, output: out };
    },
    ready: async (timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      const worker = childEnv.APP_ROLE === 'worker';
      while (Date.now() < deadline) {
        if (exitedCode !== undefined)
          throw new Error(`service exited (${exitedCode}) before it was ready:\n${out}`);
        if (worker) {
          if (out.includes('Worker started')) return;
        } else {
          const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
            (r) => r.status === 200,
            () => false,
          );
          if (ok) return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`service not ready after ${timeoutMs} ms:\n${out}`);
    },
  };
}
