import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { describeProblem } from '../edifact/edifact-error.ts';
import { AIRPORT_POSTS_LIST, type AirRejection, airportPostsFrom, readAirMessages } from '../edifact/read-air-messages.ts';
import { loadLists } from '../enrich/lists.ts';
import { ConfigError, toError } from '../errors.ts';
import { produce } from '../generate/producer.ts';
import type { Crossing } from '../model/crossing.ts';
import { type CommandSpec, fileOption, helpText, numberOption, parseCommand } from './args.ts';
import { IngestSummary } from './ingest-summary.ts';
import { Progress } from './progress.ts';

export const importSpec = {
  name: 'import',
  summary: 'Read airline messages (UN/EDIFACT PAXLST, PNRGOV) from files into crossing events: to a file, or sent to a live /ingest.',
  usage: 'import FILE... [--out FILE.ndjson | --url ws://HOST:PORT/ingest] [options]',
  options: {
    out: { type: 'string' },
    url: { type: 'string' },
    ca: { type: 'string' },
    token: { type: 'string' },
    batch: { type: 'string' },
    rejections: { type: 'string' },
    lenient: { type: 'boolean' },
    rules: { type: 'string' },
  },
  help: {
    out: 'Write the events as NDJSON here (default: standard output, unless --url)',
    url: 'Send the events to this ingest endpoint over WebSocket, where they are journaled, acknowledged and assessed like any producer\'s',
    ca: 'With a wss:// --url: a certificate (PEM file) to trust besides the system\'s',
    token: 'With --url: a producer token for the posts the flights arrive at or leave (default: the BORDER_RISK_TOKEN environment variable)',
    batch: 'With --url: events per frame (default 100)',
    rejections: 'Write every rejection (file, scope, message reference, traveller, each problem with its segment and element) here as NDJSON (default: each on standard error)',
    lenient: 'Read messages whose UNT/UNE/UNZ counts or references, or CNT totals, disagree, keeping each disagreement as a warning (for archives and test sets; the ingest endpoint is always strict)',
    rules: 'Rule directory whose lists/post-airports.yaml places flights at border posts (default rules)',
  },
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

/** One rejection as written to --rejections: where it came from and every problem. */
function rejectionLine(file: string, r: AirRejection): string {
  return JSON.stringify({ file, scope: r.scope, ...(r.messageRef !== undefined && { messageRef: r.messageRef }), ...(r.traveller !== undefined && { traveller: r.traveller }), problems: r.problems.map(describeProblem) });
}

/** `border-risk import`: returns the exit code (0 all read, 1 something rejected, 2 nothing readable). */
export async function importMessages(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(importSpec, argv);
  if (values.help) {
    console.log(helpText(importSpec));
    return 0;
  }
  if (positionals.length === 0) throw new ConfigError(`name at least one message file\n\n${helpText(importSpec)}`);
  if (values.out !== undefined && values.url !== undefined) throw new ConfigError('use either --out or --url, not both');
  const lists = loadLists(path.join(values.rules ?? 'rules', 'lists'));
  const airportPosts = airportPostsFrom(lists.get(AIRPORT_POSTS_LIST)?.keys ?? []);
  const rejectionsOut = values.rejections !== undefined ? fs.createWriteStream(values.rejections) : undefined;

  const events: Crossing[] = [];
  const counts = { files: 0, messages: 0, rejectedFiles: 0, rejectedMessages: 0, rejectedTravellers: 0, warnings: 0 };
  const progress = new Progress('import', 0);
  for (const file of positionals) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      throw new ConfigError(`cannot read ${file}: ${toError(error).message}`, { cause: error });
    }
    // Level A/B interchanges are ASCII; UTF-8 (UNOW) is read as such, anything else as Latin-1 (UNOC).
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = bytes.toString('latin1');
    }
    const result = readAirMessages(text, { airportPosts, envelope: values.lenient ? 'lenient' : 'strict' });
    counts.files += 1;
    counts.messages += result.messages;
    counts.warnings += result.warnings.length;
    events.push(...result.events);
    for (const r of result.rejections) {
      if (r.scope === 'input') counts.rejectedFiles += 1;
      else if (r.scope === 'message') counts.rejectedMessages += 1;
      else counts.rejectedTravellers += 1;
      if (rejectionsOut) rejectionsOut.write(`${rejectionLine(file, r)}\n`);
      else {
        const named = r.problems.slice(0, 5).map(describeProblem);
        if (r.problems.length > 5) named.push(`and ${r.problems.length - 5} more (--rejections FILE keeps them all)`);
        console.error(`${file}: ${r.scope} rejected${r.traveller ? ` (${r.traveller})` : ''}: ${named.join('; ')}`);
      }
    }
    for (const w of result.warnings) if (!rejectionsOut) console.error(`${file}: warning: ${describeProblem(w)}`);
    progress.tick(events.length);
  }
  progress.done();
  if (rejectionsOut) await new Promise<void>((resolve) => rejectionsOut.end(resolve));

  const read = `read ${counts.files} file(s), ${counts.messages} message(s): ${events.length} traveller(s) → crossing events; rejected ${counts.rejectedFiles} file(s) or parts of files, ${counts.rejectedMessages} message(s), ${counts.rejectedTravellers} traveller(s)${counts.warnings > 0 ? `; ${counts.warnings} envelope warning(s) let through (--lenient)` : ''}${values.rejections ? ` → ${values.rejections}` : ''}`;
  if (values.url !== undefined) {
    const ingest = new IngestSummary();
    let sent = 0;
    const iterator: Iterator<unknown> = {
      next: () => (sent < events.length ? { done: false, value: events[sent++] } : { done: true, value: undefined }),
    };
    const sending = new Progress('import: sent', events.length);
    const token = values.token ?? process.env.BORDER_RISK_TOKEN;
    const summary = await produce(iterator, {
      url: values.url,
      ...(values.ca !== undefined && { ca: fileOption('ca', values.ca) }),
      ...(token !== undefined && { token }),
      batch: numberOption('batch', values.batch, 100, (n) => Number.isInteger(n) && n >= 1),
      onReply: (reply) => {
        ingest.note(reply);
        sending.tick(sent);
      },
    });
    sending.done();
    console.error(read);
    console.error(`sent ${summary.events} events in ${summary.frames} frames: ${summary.accepted} accepted, ${summary.duplicates} duplicate, ${summary.rejected} rejected, ${summary.failed} failed`);
    ingest.report();
  } else {
    const out = values.out ? fs.createWriteStream(values.out) : process.stdout;
    for (const event of events) if (!out.write(`${JSON.stringify(event)}\n`)) await once(out, 'drain');
    if (out !== process.stdout) await new Promise<void>((resolve) => (out as fs.WriteStream).end(resolve));
    console.error(`${read}${values.out ? `; events → ${values.out}` : ''}`);
  }
  if (events.length === 0 && counts.rejectedFiles + counts.rejectedMessages + counts.rejectedTravellers > 0) return 2;
  return counts.rejectedFiles + counts.rejectedMessages + counts.rejectedTravellers > 0 ? 1 : 0;
}
