import { startSimulator } from './simulator';

/**
 * `npm run simulator`: the simulator on its own, for manual runs and the demo.
 * SIMULATOR_PORT (default 4010), SIMULATOR_API_KEY, SIMULATOR_SEED, SIMULATOR_SCENARIO (JSON path).
 */
async function main(): Promise<void> {
  const env = process.env;
  const port = env.SIMULATOR_PORT ? Number(env.SIMULATOR_PORT) : 4010;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SIMULATOR_PORT must be a port number, got "${env.SIMULATOR_PORT}"`);
  }
  const seedText = env.SIMULATOR_SEED;
  const seed = seedText && /^\d+$/.test(seedText) ? Number(seedText) : seedText;
  const sim = await startSimulator({
    port,
    host: env.SIMULATOR_HOST || '127.0.0.1',
    apiKey: env.SIMULATOR_API_KEY || undefined,
    seed: seed || undefined,
    scenario: env.SIMULATOR_SCENARIO || undefined,
  });
  const agents = sim.scenario.agents.map((a) => `${a.id} (${a.name})`).join(', ');
  const numbers = sim.scenario.phone_numbers.map((n) => n.number).join(', ');
  // Plain stdout on purpose: this is a developer tool, not part of the service.
  console.log(`CallRounded simulator listening on ${sim.url}`);
  console.log(`  scenario: ${sim.scenario.name}; agents: ${agents}; from numbers: ${numbers}`);
  if (!env.SIMULATOR_API_KEY) console.log(`  X-Api-Key: ${sim.apiKey}`);

  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
