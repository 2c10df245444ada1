import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, toError } from '../errors.ts';

export interface CommandSpec<O extends NonNullable<ParseArgsConfig['options']>> {
  name: string;
  summary: string;
  usage: string;
  options: O;
  /** One line of help per option, in the order shown. */
  help: Record<keyof O & string, string>;
}

/** Parses a subcommand's arguments strictly: an unknown or malformed option is a ConfigError. */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(spec: CommandSpec<O>, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (thrown) {
    throw new ConfigError(`${thrown instanceof Error ? thrown.message : String(thrown)}\n\n${helpText(spec)}`);
  }
}

export function helpText<O extends NonNullable<ParseArgsConfig['options']>>(spec: CommandSpec<O>): string {
  const lines = Object.entries(spec.help).map(([name, text]) => {
    const option = spec.options[name];
    const flag = `--${name}${option?.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(28)} ${String(text)}`;
  });
  return `${spec.summary}\n\nUsage: border-risk ${spec.usage}\n\nOptions:\n${lines.join('\n')}\n  ${'--help, -h'.padEnd(28)} Show this help`;
}

/** What one action of a command (`rules check`) says about itself: its summary, usage and options. */
export interface ActionHelp {
  summary: string;
  usage: string;
  /** The command's options this action takes, in the order shown. */
  options: readonly string[];
}

/**
 * The help of one action (`rules check --help`), from the command's spec: the action's
 * own summary and usage and only the options it takes, rather than the whole command's.
 */
export function actionHelpText<O extends NonNullable<ParseArgsConfig['options']>>(spec: CommandSpec<O>, action: ActionHelp): string {
  const help = Object.fromEntries(action.options.map((name) => [name, (spec.help as Record<string, string>)[name] ?? ''])) as Record<keyof O & string, string>;
  return helpText({ ...spec, summary: action.summary, usage: action.usage, help });
}

export function numberOption(name: string, value: string | undefined, fallback: number, check: (n: number) => boolean = Number.isFinite): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !check(n)) throw new ConfigError(`--${name} must be a valid number, got "${value}"`);
  return n;
}

/** The contents of the file an option names, or a ConfigError that says which option and why. */
export function fileOption(name: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new ConfigError(`cannot read --${name} ${file}: ${toError(error).message}`, { cause: error });
  }
}
