/**
 * The direction of dependencies between the modules under src/ (checked by `npm run lint`):
 *
 *   main, app.module ─► api (every controller), worker (every loop)
 *     ─► reports, dashboard, health, scheduling, suppressions (the readers and loops)
 *     ─► engine ─► campaigns ─► compliance ─► qualification, windows, webhooks ─► leads
 *     ─► callrounded, metrics, core, config, database ─► common
 *
 * Nothing but api imports reports (they read every table themselves); nothing imports upwards.
 * The engine reaches the platform only through its port, src/engine/platform/voice-platform.port.ts:
 * a platform adapter (callrounded/voice-platform/) imports the port, never the other way round.
 */
const below = (name, forbidden, allowed) => ({
  name: `${name}-imports-upwards`,
  comment: `src/${name} may not import ${forbidden.join(', ')} (see .dependency-cruiser.cjs)`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: `^src/(${forbidden.join('|')})/`, ...(allowed ? { pathNot: allowed } : {}) },
});

/** The engine's port to a voice platform: what an adapter may import from the engine. */
const PLATFORM_PORT = '^src/engine/platform/';

const ENGINE = ['engine'];
const READERS = ['reports', 'dashboard', 'agents', 'health', 'scheduling', 'demo', 'worker', 'api'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Files must not import each other in a cycle.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-reports',
      comment: 'Reports read every table; no module depends on them (api serves them).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(reports/|api/|[^/]+\\.ts$)' },
      to: { path: '^src/reports/' },
    },
    {
      name: 'engine-talks-to-platforms-through-its-port',
      comment:
        'src/engine reaches a voice platform only through engine/platform/voice-platform.port.ts (bound to VOICE_PLATFORM by the root), never src/callrounded.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/callrounded/' },
    },
    {
      name: 'platform-port-stands-alone',
      comment:
        'The voice platform port imports nothing of the engine or of an adapter (adapters import it).',
      severity: 'error',
      from: { path: PLATFORM_PORT },
      to: { path: '^src/', pathNot: `${PLATFORM_PORT}|^src/common/` },
    },
    below('campaigns', [...ENGINE, ...READERS]),
    below('compliance', ['campaigns', 'qualification', 'webhooks', ...ENGINE, ...READERS]),
    below('qualification', ['campaigns', ...ENGINE, ...READERS]),
    below('windows', ['campaigns', 'qualification', ...ENGINE, ...READERS]),
    below('webhooks', ['campaigns', 'qualification', 'leads', ...ENGINE, ...READERS]),
    below('suppressions', ['campaigns', 'qualification', ...ENGINE, ...READERS]),
    below('leads', [
      'campaigns',
      'qualification',
      'windows',
      'webhooks',
      'suppressions',
      ...ENGINE,
      ...READERS,
    ]),
    below(
      'callrounded',
      [
        'campaigns',
        'qualification',
        'windows',
        'webhooks',
        'leads',
        'suppressions',
        ...ENGINE,
        ...READERS,
      ],
      PLATFORM_PORT,
    ),
    below('common', [
      'campaigns',
      'qualification',
      'windows',
      'webhooks',
      'leads',
      'suppressions',
      'callrounded',
      ...ENGINE,
      ...READERS,
    ]),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|dist-bench|node_modules)/' },
  },
};
