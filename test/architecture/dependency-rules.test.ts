import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.ts';

const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const made: string[] = [];

/**
 * Runs the project's dependency rules over a small tree laid out like `src/` (files
 * relative to the tree, each given its text) and returns the exit code and report.
 */
function cruise(files: Record<string, string>): { status: number | null; report: string } {
  const dir = tempDir('border-risk-deps-');
  made.push(dir);
  fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const run = spawnSync(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', 'err'], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, report: run.stdout + run.stderr };
}

afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the dependency rules', () => {
  it('pass a tree whose imports point down the layers', () => {
    const { status, report } = cruise({
      'src/kernel/helper.ts': 'export const helper = 1;\n',
      'src/score/score.ts': "import { helper } from '../kernel/helper.ts';\nexport const score = helper;\n",
      'src/pipeline/pipeline.ts': "import { score } from '../score/score.ts';\nexport const pipeline = score;\n",
    });
    expect(report).toContain('no dependency violations');
    expect(status).toBe(0);
  });

  it('fail a stage that imports the composer above it, naming the layer rule', () => {
    const { status, report } = cruise({
      'src/pipeline/metrics.ts': 'export const metrics = 1;\n',
      'src/score/score.ts': "import { metrics } from '../pipeline/metrics.ts';\nexport const score = metrics;\n",
    });
    expect(status).not.toBe(0);
    expect(report).toContain('layer-score');
    expect(report).toContain('src/score/score.ts → src/pipeline/metrics.ts');
  });

  it('fail a type-only import from a higher layer too', () => {
    const { status, report } = cruise({
      'src/alert/alert.ts': 'export interface Alert { id: string }\n',
      'src/ingest/protocol.ts': "import type { Alert } from '../alert/alert.ts';\nexport type Reply = Alert;\n",
    });
    expect(status).not.toBe(0);
    expect(report).toContain('layer-ingest');
  });

  it('fail a cycle between two files of one folder', () => {
    const { status, report } = cruise({
      'src/alert/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'src/alert/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    });
    expect(status).not.toBe(0);
    expect(report).toContain('no-circular');
  });

  it('fail the pipeline when it takes the alert database class instead of its port', () => {
    const { status, report } = cruise({
      'src/store/alert-log.ts': 'export interface AlertLog { readonly lastSeq: number }\n',
      'src/store/alert-store.ts': "import type { AlertLog } from './alert-log.ts';\nexport class AlertStore implements AlertLog { readonly lastSeq = 0; }\n",
      'src/pipeline/pipeline.ts': "import type { AlertStore } from '../store/alert-store.ts';\nexport type Parts = { store: AlertStore };\n",
    });
    expect(status).not.toBe(0);
    expect(report).toContain('pipeline-takes-ports');
    expect(report).toContain('src/pipeline/pipeline.ts → src/store/alert-store.ts');
  });

  it('fail the recording stage when it takes the file journal, and pass it on the port', () => {
    const journal = {
      'src/journal/event-log.ts': 'export interface EventLog { append(text: string): number }\n',
      'src/journal/journal.ts': "import type { EventLog } from './event-log.ts';\nexport class Journal implements EventLog { append(): number { return 1; } }\n",
    };
    const wrong = cruise({ ...journal, 'src/journal/record-events.ts': "import type { Journal } from './journal.ts';\nexport type Recording = (journal: Journal) => void;\n" });
    expect(wrong.status).not.toBe(0);
    expect(wrong.report).toContain('pipeline-takes-ports');
    const right = cruise({ ...journal, 'src/journal/record-events.ts': "import type { EventLog } from './event-log.ts';\nexport type Recording = (journal: EventLog) => void;\n" });
    expect(right.report).toContain('no dependency violations');
    expect(right.status).toBe(0);
  });

  it('fail product code that imports a test helper', () => {
    const { status, report } = cruise({
      'test/helpers.ts': 'export const fixture = 1;\n',
      'src/cli/main.ts': "import { fixture } from '../../test/helpers.ts';\nexport const main = fixture;\n",
    });
    expect(status).not.toBe(0);
    expect(report).toContain('no-test-code-in-product');
  });

  it('fail an adapter that imports the traffic generator', () => {
    const { status, report } = cruise({
      'src/generate/planted.ts': 'export const CASES = [];\n',
      'src/record/labels.ts': "import { CASES } from '../generate/planted.ts';\nexport const labels = CASES;\n",
    });
    expect(status).not.toBe(0);
    expect(report).toContain('generator-only-in-tools');
    expect(report).toContain('layer-adapters');
  });
});
