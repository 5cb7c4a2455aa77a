/**
 * The direction of dependencies between the modules under src/ (checked by `npm run lint`):
 *
 *   main, app.module ─► api (every controller), worker (every loop)
 *     ─► reports, dashboard, health, scheduling, suppressions (the readers and loops)
 *     ─► engine ─► campaigns ─► compliance ─► qualification, windows, webhooks ─► leads
 *     ─► callrounded, metrics, core, config, database ─► common
 *
 * Nothing but api imports reports (they read every table themselves); nothing imports upwards.
 */
const below = (name, forbidden) => ({
  name: `${name}-imports-upwards`,
  comment: `src/${name} may not import ${forbidden.join(', ')} (see .dependency-cruiser.cjs)`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: `^src/(${forbidden.join('|')})/` },
});

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
    below('callrounded', [
      'campaigns',
      'qualification',
      'windows',
      'webhooks',
      'leads',
      'suppressions',
      ...ENGINE,
      ...READERS,
    ]),
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
