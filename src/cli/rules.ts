import { RuleLoadError } from '../errors.ts';
import { loadRuleSet } from '../rules/rule-set.ts';
import { type CommandSpec, helpText, parseCommand } from './args.ts';

export const rulesSpec = {
  name: 'rules',
  summary: 'Work with rule files. `rules check` loads and compiles every rule, list and stream file and reports every problem with file and line.',
  usage: 'rules check [--rules DIR] [--streams DIR]',
  options: {
    rules: { type: 'string' },
    streams: { type: 'string' },
  },
  help: {
    rules: 'Rule directory (default rules)',
    streams: 'Stream definitions directory (default streams)',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

/** Returns the process exit code: 0 when the rule set loads, 1 when it has problems. */
export function rules(argv: string[]): number {
  const { values, positionals } = parseCommand(rulesSpec, argv);
  if (values.help || positionals[0] !== 'check') {
    console.log(helpText(rulesSpec));
    return values.help ? 0 : 2;
  }
  try {
    const set = loadRuleSet({ rulesDir: values.rules ?? 'rules', streamsDir: values.streams ?? 'streams' });
    console.log(`ok: rule set ${set.version}, ${set.rules.length} indicators (${set.byKind.crossing.length} crossing, ${set.byKind.cargo.length} cargo), ${set.lists.size} lists, ${set.streams.length} streams`);
    return 0;
  } catch (thrown) {
    if (!(thrown instanceof RuleLoadError)) throw thrown;
    for (const p of thrown.problems) console.log(`${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.path ? `  ${p.path}` : ''}  ${p.message}`);
    console.log(`\n${thrown.problems.length} problem(s); the rule set was not loaded.`);
    return 1;
  }
}
