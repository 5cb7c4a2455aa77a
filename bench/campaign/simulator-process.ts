/**
 * The simulator in its own process for the campaign benchmark (the platform is remote in real
 * life: it must not share the orchestrator's event loop). Options come as JSON in
 * BENCH_SIM_OPTIONS; the parent asks for figures over the IPC channel.
 */
import { startSimulator } from '../../src/simulator';
import type { SimulatorOptions } from '../../src/simulator';

export type SimRequest = { id: number; type: 'stats' | 'reset' | 'close' };

export interface SimStats {
  live: number;
  maxLive: number;
  requests: number;
  requestCounts: Record<string, number>;
  calls: number;
  meanDurationMs: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_SIM_OPTIONS ?? '{}') as SimulatorOptions;
  const sim = await startSimulator({ ...options, port: 0 });
  process.send?.({ type: 'ready', url: sim.url, apiKey: sim.apiKey });
  process.on('message', (msg: SimRequest) => {
    if (msg.type === 'reset') sim.resetStats();
    if (msg.type === 'close') void sim.close().then(() => process.exit(0));
    let stats: SimStats | undefined;
    if (msg.type === 'stats') {
      const calls = sim.calls();
      const total = calls.reduce(
        (sum, c) => sum + (Date.parse(c.end_time ?? c.start_time) - Date.parse(c.start_time)),
        0,
      );
      stats = {
        live: sim.liveCount(),
        maxLive: sim.maxLiveObserved(),
        requests: sim.requestCount(),
        requestCounts: sim.requestCounts(),
        calls: calls.length,
        meanDurationMs: calls.length ? total / calls.length : 0,
      };
    }
    process.send?.({ type: 'reply', id: msg.id, stats });
  });
}

main().catch((e) => {
  process.stderr.write(`bench simulator failed: ${String(e)}\n`);
  process.exit(1);
});
