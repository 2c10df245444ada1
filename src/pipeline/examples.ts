import fs from 'node:fs';
import path from 'node:path';
import { ruleEvidence } from '../alert/alert.ts';
import { toError } from '../errors.ts';
import { assessJournaled } from './pipeline.ts';
import { StateEngine } from '../indicators/state-engine.ts';
import { EVENT_KINDS, type EventKind, validateEvent } from '../model/event.ts';
import { createMetrics } from '../kernel/metrics.ts';
import type { Evidence } from '../state/condition.ts';
import type { ExampleDef } from '../rules/rule-schema.ts';
import { type CompiledRule, EXAMPLES_DIR, type RuleSet } from '../rules/rule-set.ts';
import { parseYamlSource } from '../kernel/yaml-source.ts';

/** How one example of one rule turned out. */
export interface ExampleOutcome {
  ruleId: string;
  file: string;
  example: string;
  expected: boolean;
  actual: boolean;
  passed: boolean;
  /** Why the example could not run (its events do not validate, or a base event is missing). */
  problems: string[];
  evidence: Evidence[];
}

type Json = Record<string, unknown>;

/** Reads `rules/examples/<kind>.yaml`, the base events examples change. */
export function loadBaseEvents(rulesDir: string): Partial<Record<EventKind, Json>> {
  const out: Partial<Record<EventKind, Json>> = {};
  for (const kind of EVENT_KINDS) {
    const file = path.join(rulesDir, EXAMPLES_DIR, `${kind}.yaml`);
    if (!fs.existsSync(file)) continue;
    const source = parseYamlSource(file, fs.readFileSync(file, 'utf8'));
    if (source.problems.length === 0 && typeof source.value === 'object' && source.value !== null) out[kind] = source.value as Json;
  }
  return out;
}

/** Objects merge, everything else (lists included) replaces, and null removes the field. */
export function mergeEvent(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    if (value === null) delete out[key];
    else if (isPlainObject(value) && isPlainObject(current)) out[key] = mergeEvent(current, value);
    else out[key] = value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Runs every rule's examples, each rule alone and each example with fresh state, so an
 * example says exactly what its rule does. A stateful example's verdict is on its last
 * event (or, for an absence, on whether the last event's time made the absence certain).
 */
export function runExamples(set: RuleSet, rulesDir: string): ExampleOutcome[] {
  const bases = loadBaseEvents(rulesDir);
  const outcomes: ExampleOutcome[] = [];
  for (const rule of set.rules) for (const example of rule.def.examples) outcomes.push(runExample(set, rule, example, bases));
  return outcomes;
}

function runExample(set: RuleSet, rule: CompiledRule, example: ExampleDef, bases: Partial<Record<EventKind, Json>>): ExampleOutcome {
  const outcome = (actual: boolean, problems: string[], evidence: Evidence[] = []): ExampleOutcome => ({
    ruleId: rule.def.id,
    file: rule.file,
    example: example.name,
    expected: example.fires,
    actual,
    passed: problems.length === 0 && actual === example.fires,
    problems,
    evidence,
  });
  const kind = [...rule.kinds][0]!;
  const base = bases[kind];
  if (!base) return outcome(false, [`no base event rules/${EXAMPLES_DIR}/${kind}.yaml`]);
  const patches = example.events ?? [example.event ?? {}];
  const only: RuleSet = { ...set, rules: [rule], byKind: { crossing: kind === 'crossing' ? [rule] : [], cargo: kind === 'cargo' ? [rule] : [] } };
  const engine = new StateEngine();
  const metrics = createMetrics();
  let fired = false;
  let evidence: Evidence[] = [];
  for (let i = 0; i < patches.length; i++) {
    const candidate = mergeEvent({ ...base, eventId: `example-${i + 1}` }, patches[i]!);
    const result = validateEvent(candidate);
    if (!result.success) return outcome(false, result.issues.map((issue) => `event ${i + 1}: ${issue.path || 'event'}: ${issue.message}`));
    try {
      const assessment = assessJournaled(only, engine, { n: i + 1, event: result.event }, metrics);
      const { enriched } = assessment;
      const deferred = assessment.deferred.find((d) => d.ruleId === rule.def.id);
      fired = assessment.fired.includes(rule) || deferred !== undefined;
      evidence = deferred ? deferred.evidence : ruleEvidence(rule, enriched, assessment.stateEvidence);
    } catch (thrown) {
      return outcome(false, [`event ${i + 1}: ${toError(thrown).message}`]);
    }
  }
  return outcome(fired, [], evidence);
}
