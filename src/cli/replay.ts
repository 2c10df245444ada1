import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { type Processor, startProcessor } from '../processor.ts';
import { readRecording } from '../record/read-recording.ts';
import { serveControl } from '../replay/control-server.ts';
import { InProcessSink } from '../replay/in-process-sink.ts';
import { IngestSink } from '../replay/ingest-sink.ts';
import { offsetOfTime, progressLine } from '../replay/progress.ts';
import { Replayer, type Speed } from '../replay/replayer.ts';
import { firstAdminToken } from '../auth/first-start.ts';
import { tokensFileOf } from './tokens.ts';
import { type CommandSpec, fileOption, helpText, numberOption, parseCommand } from './args.ts';

export const replaySpec = {
  name: 'replay',
  summary: 'Stream a recording into a processor\'s /ingest at real time, N× or max speed, with pause, resume, step and seek from the keyboard or a control WebSocket.',
  usage: 'replay RECORDING (--url ws://HOST:PORT/ingest | --serve [--exercise ID] [--port N] [--data-dir DIR]) [--speed N|max] [--control-port N] [options]',
  options: {
    url: { type: 'string' },
    ca: { type: 'string' },
    token: { type: 'string' },
    tokens: { type: 'string' },
    serve: { type: 'boolean' },
    exercise: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    rules: { type: 'string' },
    streams: { type: 'string' },
    speed: { type: 'string' },
    paused: { type: 'boolean' },
    seek: { type: 'string' },
    'control-port': { type: 'string' },
    'frame-events': { type: 'string' },
    quiet: { type: 'boolean' },
  },
  help: {
    url: 'The ingest endpoint of a running processor',
    ca: 'With a wss:// --url: a certificate (PEM file) to trust besides the system\'s, e.g. a self-signed server certificate',
    token: 'With --url: a producer token for the recording\'s posts (default: the BORDER_RISK_TOKEN environment variable, which keeps it out of the process list)',
    tokens: 'With --serve: the tokens file of the processor it starts (default <data-dir>/tokens.json); the replay itself goes in without a socket, limited to the recording\'s posts',
    serve: 'Start a processor in this process and replay into it; it keeps serving (console, /alerts) after the replay until Ctrl-C',
    exercise: '--serve: replay as exercise ID, apart from live traffic: assessed on its own, its alerts seen and triaged by trainee tokens only, scored by exercise report --exercise ID (docs/casework.md#exercises)',
    port: '--serve: port of the processor (default 8080)',
    'data-dir': '--serve: its data directory (default .data)',
    rules: '--serve: rule directory (default rules)',
    streams: '--serve: stream definitions directory (default streams)',
    speed: 'Multiple of real time (1 = real time, 60 = a minute per second) or max (default 1)',
    paused: 'Start paused: step, seek or resume from the keyboard or the control socket',
    seek: 'Start at this event time (RFC 3339); earlier events are not sent',
    'control-port': 'Serve replay control at ws://127.0.0.1:PORT/control (docs/recordings.md); 0 picks a free port',
    'frame-events': 'Most events in one ingest frame (default 500)',
    quiet: 'No progress line',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const KEYS = 'space pause/resume · n step · + / - speed ×2 ÷2 · 1 real time · m max · ] [ seek ±1h · g go to a time · q stop';

function parseSpeedOption(text: string | undefined): Speed {
  if (text === undefined) return 1;
  if (text === 'max') return 'max';
  return numberOption('speed', text, 1, (n) => n > 0 && Number.isFinite(n));
}

export async function replay(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(replaySpec, argv);
  if (values.help) {
    console.log(helpText(replaySpec));
    return 0;
  }
  const [recording, ...extra] = positionals;
  if (recording === undefined || extra.length > 0) throw new ConfigError(`replay needs one recording (a segment file or a directory)\n\n${helpText(replaySpec)}`);
  if ((values.url === undefined) === !values.serve) throw new ConfigError('replay needs exactly one of --url and --serve');
  // Over --url the events would enter the live pipeline: only a processor of this process can keep them apart.
  if (values.exercise !== undefined && !values.serve) throw new ConfigError('replay --exercise needs --serve: an exercise is assessed apart from live traffic inside the processor it starts');
  const speed = parseSpeedOption(values.speed);
  const seekMs = values.seek === undefined ? undefined : Date.parse(values.seek);
  if (seekMs !== undefined && Number.isNaN(seekMs)) throw new ConfigError(`--seek is not a time: ${values.seek}`);

  const events = [...readRecording(recording, { onIncomplete: (s) => console.error(`warning: ${s.file} is incomplete (${s.problem}); replaying its complete batches`) })];
  let processor: Processor | undefined;
  let sink: IngestSink | InProcessSink;
  let target: string;
  if (values.serve) {
    const tokensFile = tokensFileOf(values);
    const firstAdmin = firstAdminToken(tokensFile);
    if (firstAdmin) console.error(`first start: made ${tokensFile} with administrator token ${firstAdmin.token.id}; its secret is shown only this once: ${firstAdmin.secret}`);
    // Into the processor of this process, with no socket between: limited to the recording's posts.
    const inProcess = new InProcessSink(events.map((e) => e.event.post));
    processor = await startProcessor({
      tokensFile,
      port: numberOption('port', values.port, 8080, Number.isInteger),
      dataDir: values['data-dir'] ?? '.data',
      rulesDir: values.rules ?? 'rules',
      streamsDir: values.streams ?? 'streams',
      log: (line) => console.error(line),
      ...(values.exercise === undefined ? { sources: [inProcess] } : { exercise: { id: values.exercise, source: inProcess } }),
    });
    sink = inProcess;
    target = `the processor at ${processor.url}`;
    console.error(`processor at ${processor.url} (console: ${processor.url.replace(/^ws/, 'http')}/, alerts: ${processor.url}/alerts)`);
  } else {
    target = values.url!;
    sink = await IngestSink.connect(target, values.token ?? process.env.BORDER_RISK_TOKEN, values.ca === undefined ? undefined : fileOption('ca', values.ca));
  }
  const replayer = new Replayer(events, sink, { speed, paused: values.paused === true, frameEvents: numberOption('frame-events', values['frame-events'], 500, (n) => Number.isInteger(n) && n >= 1) });
  if (seekMs !== undefined) replayer.seek(seekMs);
  const control = values['control-port'] === undefined ? undefined : await serveControl(replayer, { port: numberOption('control-port', values['control-port'], 0, Number.isInteger) });
  console.error(`replaying ${events.length} events from ${path.normalize(recording)} to ${target}${control ? `; control at ${control.url}` : ''}`);

  const tty = process.stderr.isTTY === true && !values.quiet;
  let lastDrawn = 0;
  // While a time is being typed after `g`, the progress line leaves the prompt alone.
  let typing: string | null = null;
  const draw = (force = false): void => {
    if (values.quiet || typing !== null) return;
    const now = performance.now();
    if (!force && now - lastDrawn < (tty ? 250 : 10_000)) return;
    lastDrawn = now;
    const status = replayer.status();
    // The clock in the posts' own time, as the console shows event times.
    const at = events[Math.min(status.position, events.length - 1)];
    const line = progressLine(status, at ? offsetOfTime(at.event.eventTime) : 'Z');
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
  const ticker = setInterval(() => draw(), 250);
  replayer.on('status', () => draw(true));

  const stdin = process.stdin;
  const keys = stdin.isTTY === true;
  const onKey = (data: Buffer): void => {
    const key = data.toString();
    if (typing !== null) {
      if (key === '\r' || key === '\n') {
        const target = Date.parse(typing.trim());
        typing = null;
        if (Number.isNaN(target)) process.stderr.write('  not a time; give e.g. 2026-11-03T06:00:00+05:00\n');
        else {
          process.stderr.write('\n');
          replayer.seek(target);
        }
      } else if (key === '\x1b' || key === '\x03') {
        typing = null;
        process.stderr.write('  cancelled\n');
      } else if (key === '\x7f' || key === '\b') {
        typing = typing.slice(0, -1);
        process.stderr.write(`\r\x1b[Kgo to: ${typing}`);
      } else {
        typing += key;
        process.stderr.write(key);
      }
      return;
    }
    if (key === 'g') {
      typing = '';
      process.stderr.write('\r\x1b[Kgo to: ');
      return;
    }
    const status = replayer.status();
    const clock = status.simulatedTime === null ? 0 : Date.parse(status.simulatedTime);
    if (key === ' ') (status.state === 'paused' ? replayer.resume() : replayer.pause());
    else if (key === 'n' || key === '\x1b[C') replayer.step(1);
    else if (key === '+' || key === '=') replayer.setSpeed(status.speed === 'max' ? 'max' : status.speed * 2);
    else if (key === '-') replayer.setSpeed(status.speed === 'max' ? 1024 : Math.max(status.speed / 2, 0.125));
    else if (key === '1') replayer.setSpeed(1);
    else if (key === 'm') replayer.setSpeed('max');
    else if (key === ']') replayer.seek(clock + 3_600_000);
    else if (key === '[') replayer.seek(clock - 3_600_000);
    else if (key === 'q' || key === '\x03') replayer.stop();
  };
  if (keys) {
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onKey);
    console.error(`keys: ${KEYS}`);
  }
  const stopOnSignal = (): void => replayer.stop();
  process.once('SIGINT', stopOnSignal);

  const final = await replayer.run();
  clearInterval(ticker);
  if (tty) process.stderr.write('\n');
  if (keys) {
    stdin.off('data', onKey);
    stdin.setRawMode(false);
    stdin.pause();
  }
  process.off('SIGINT', stopOnSignal);
  await control?.close();
  await sink.close();
  const t = sink.totals;
  console.error(`replay ${final.state} at event ${final.position} of ${final.total} (events skipped by a seek are not sent); ${t.accepted} accepted, ${t.duplicates} duplicate, ${t.rejected} rejected, ${t.failed} failed`);
  if (final.state === 'failed' && final.error !== undefined) console.error(`error: ${final.error}`);
  if (processor) {
    console.error('the processor keeps serving; Ctrl-C stops it');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    await processor.close();
  }
  return final.state === 'failed' ? 1 : 0;
}
