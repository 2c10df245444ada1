/**
 * The import rules of `src/` (docs/architecture.md explains them). `npm run lint:deps`
 * checks them; `npm test` runs it.
 *
 * Layers, lowest first. A file may import its own layer and the layers below it,
 * never one above: data flows one way, from the wire to the analyst. Folders within one
 * layer may import each other, as long as no cycle forms (`no-circular`).
 */
const LAYERS = [
  ['model', '^src/model/'],
  ['kernel', '^src/(errors\\.ts$|kernel/)'],
  // Libraries the stages use, knowing nothing of the pipeline: detectors, name
  // matching, triage states, stream definitions.
  ['library', '^src/(anomaly|watchlist|triage|streams|edifact|exchange)/'],
  ['ingest', '^src/ingest/'],
  ['validate', '^src/validate/'],
  ['journal', '^src/journal/'],
  ['enrich', '^src/enrich/'],
  ['state', '^src/state/'],
  ['rules', '^src/rules/'],
  ['indicators', '^src/indicators/'],
  ['score', '^src/score/'],
  ['alert', '^src/alert/'],
  // The alert database, and the casework kept beside the alerts in it (silences, non-matches, ...).
  ['store', '^src/(store|casework)/'],
  ['auth', '^src/auth/'],
  ['push', '^src/push/'],
  ['pipeline', '^src/pipeline/'],
  // Edges: the WebSocket server, the browser console, the Node client, Arrow recordings,
  // further event sources and alert sinks (src/sources/<name>, src/sinks/<name>), and the
  // NATS JetStream broker (src/broker/).
  ['adapters', '^src/(server|client|console|record|replay|sources|sinks|broker)/'],
  // Exchange with partner agencies' processors: agreements at work, links, requests for details.
  ['cooperation', '^src/cooperation/'],
  // The composition root and the jobs and tools built on the pipeline.
  ['app', '^src/(processor\\.ts$|app/|recovery/|retention/|backtest/|exercise/|generate/)'],
  ['cli', '^src/cli/'],
];

const layerRules = LAYERS.slice(0, -1).map(([name, path], i) => ({
  name: `layer-${name}`,
  comment: `${name} must not import a layer above it (${LAYERS.slice(i + 1).map(([n]) => n).join(', ')})`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => `(${p})`).join('|') },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'a cycle means two modules cannot be understood, tested or moved apart',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'pipeline-takes-ports',
      comment:
        'the pipeline and the stages that write (record-events, store-alerts) take ports (EventLog, DeadLetterSink, AlertLog), never the file journal, dead-letter file or alert database classes: those are wired in by src/processor.ts, so that a broker-backed log can stand in',
      severity: 'error',
      from: { path: '^src/(pipeline/|journal/record-events\\.ts$|store/store-alerts\\.ts$)' },
      to: { path: '^src/(journal/journal|journal/dead-letters|store/alert-store)\\.ts$' },
    },
    {
      name: 'no-test-code-in-product',
      comment: 'product code (src/) must not import tests, fixtures or benchmarks',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'generator-only-in-tools',
      comment:
        'the traffic generator (src/generate/) is a tool for the demo, exercises and load tests: only the CLI, exercises and the generator itself import it, never a stage, an adapter or a job',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|exercise|generate)/' },
      to: { path: '^src/generate/' },
    },
    {
      name: 'nats-only-in-broker',
      comment:
        'the NATS client is imported only under src/broker/, so that a processor without a broker never loads it',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/broker/' },
      to: { path: 'node_modules/@nats-io/' },
    },
    {
      name: 'broker-loaded-lazily',
      comment:
        'outside src/broker/, the broker is imported for its types or with a dynamic import() (serve --nats), never statically: npm start must not load the NATS client',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/broker/' },
      to: { path: '^src/broker/', dynamic: false, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'an import that does not resolve is a typo or a missing dependency',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from a higher layer ties a lower one to it as much as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    exclude: { path: '^src/console/.*\\.js$' },
  },
};
