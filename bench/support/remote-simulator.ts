import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { SimCall, SimFaults, SimulatorOptions } from '../../src/simulator';
import type { SimReply, SimRequest, SimStats } from './simulator-process';

type Ask =
  { type: 'stats' | 'reset' | 'close' | 'calls' } | { type: 'faults'; faults: Partial<SimFaults> };

/** The simulator in a child process (simulator-process.ts), driven over IPC. */
export class RemoteSimulator {
  private next = 0;
  private readonly waiting = new Map<number, (reply: SimReply) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly apiKey: string,
  ) {
    child.on('message', (m: SimReply) => {
      if (m.type === 'reply') this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    });
  }

  static start(options: Omit<SimulatorOptions, 'port'>): Promise<RemoteSimulator> {
    const child = fork(join(__dirname, 'simulator-process.js'), [], {
      env: { ...process.env, BENCH_SIM_OPTIONS: JSON.stringify(options) },
    });
    return new Promise((resolve, reject) => {
      child.once('message', (m: { url: string; apiKey: string }) =>
        resolve(new RemoteSimulator(child, m.url, m.apiKey)),
      );
      child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
    });
  }

  ask(request: Ask): Promise<SimReply> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ id, ...request });
    });
  }

  async stats(): Promise<SimStats> {
    return (await this.ask({ type: 'stats' })).stats!;
  }

  async calls(): Promise<SimCall[]> {
    return (await this.ask({ type: 'calls' })).calls!;
  }

  async reset(): Promise<void> {
    await this.ask({ type: 'reset' });
  }

  async setFaults(faults: Partial<SimFaults>): Promise<void> {
    await this.ask({ type: 'faults', faults });
  }

  async close(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ id: this.next++, type: 'close' } satisfies SimRequest);
    await exited;
  }
}
