/**
 * The simulator in its own process for the benchmarks (the platform is remote in real life: it
 * must not share the orchestrator's event loop). Options come as JSON in BENCH_SIM_OPTIONS; the
 * parent asks for figures, calls and fault changes over the IPC channel (remote-simulator.ts).
 */
import { startSimulator } from '../../src/simulator';
import type { SimCall, SimFaults, SimulatorOptions } from '../../src/simulator';

export type SimRequest =
  | { id: number; type: 'stats' | 'reset' | 'close' | 'calls' }
  | { id: number; type: 'faults'; faults: Partial<SimFaults> };

export interface SimStats {
  live: number;
  maxLive: number;
  maxLivePerNumber: number;
  requests: number;
  requestCounts: Record<string, number>;
  calls: number;
  meanDurationMs: number;
}

export type SimReply = { type: 'reply'; id: number; stats?: SimStats; calls?: SimCall[] };

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_SIM_OPTIONS ?? '{}') as SimulatorOptions;
  const sim = await startSimulator({ ...options, port: 0 });
  process.send?.({ type: 'ready', url: sim.url, apiKey: sim.apiKey });
  process.on('message', (msg: SimRequest) => {
    const reply: SimReply = { type: 'reply', id: msg.id };
    if (msg.type === 'reset') sim.resetStats();
    if (msg.type === 'close') void sim.close().then(() => process.exit(0));
    if (msg.type === 'faults') sim.setFaults(msg.faults);
    if (msg.type === 'calls') reply.calls = sim.calls();
    if (msg.type === 'stats') {
      const calls = sim.calls();
      const total = calls.reduce(
        (sum, c) => sum + (Date.parse(c.end_time ?? c.start_time) - Date.parse(c.start_time)),
        0,
      );
      reply.stats = {
        live: sim.liveCount(),
        maxLive: sim.maxLiveObserved(),
        maxLivePerNumber: sim.maxLivePerNumberObserved(),
        requests: sim.requestCount(),
        requestCounts: sim.requestCounts(),
        calls: calls.length,
        meanDurationMs: calls.length ? total / calls.length : 0,
      };
    }
    process.send?.(reply);
  });
}

main().catch((e) => {
  process.stderr.write(`bench simulator failed: ${String(e)}\n`);
  process.exit(1);
});
