import { ProcessorError, toError, InternalError } from '../errors.ts';
import { anomaly, anomalySpec } from './anomaly.ts';
import { handleClosedOutput } from './closed-output.ts';
import { exercise, exerciseSpec } from './exercise.ts';
import { generate, generateSpec } from './generate.ts';
import { importMessages, importSpec } from './import.ts';
import { backtestCommand, backtestSpec } from './backtest.ts';
import { record, recordSpec } from './record.ts';
import { replay, replaySpec } from './replay.ts';
import { rules, rulesSpec } from './rules.ts';
import { serve, serveSpec } from './serve.ts';
import { tokens, tokensSpec } from './tokens.ts';
import { watchlist, watchlistSpec } from './watchlist.ts';

const COMMANDS = [serveSpec, generateSpec, importSpec, rulesSpec, anomalySpec, recordSpec, replaySpec, backtestSpec, exerciseSpec, watchlistSpec, tokensSpec];

function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return `border-risk: border risk-indicator stream processor\n\nUsage: border-risk <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'border-risk <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serve(rest);
      return 0;
    case 'generate':
      await generate(rest);
      return 0;
    case 'import':
      return importMessages(rest);
    case 'rules':
      return rules(rest);
    case 'anomaly':
      return anomaly(rest);
    case 'record':
      return record(rest);
    case 'replay':
      return replay(rest);
    case 'exercise':
      return exercise(rest);
    case 'backtest':
      return backtestCommand(rest);
    case 'watchlist':
      return watchlist(rest);
    case 'tokens':
      return tokens(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage());
      return command === undefined ? 2 : 0;
    default:
      console.error(`unknown command "${command}"\n\n${usage()}`);
      return 2;
  }
}

// A closed pipe (`generate | head`) is the reader's choice, not an error (serve keeps going).
handleClosedOutput();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (thrown: unknown) => {
    const error = toError(thrown);
    // Configuration problems get their message only; anything else is a bug and keeps its stack.
    // A fault of the program shows its stack; a problem with the input or the setup says what it is.
    const expected = error instanceof ProcessorError && !(error instanceof InternalError);
    console.error(expected ? `error (${error.code}): ${error.message}` : error.stack);
    process.exitCode = expected ? 2 : 1;
  },
);
