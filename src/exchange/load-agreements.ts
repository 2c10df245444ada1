import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type RuleProblem, toError } from '../errors.ts';
import { MAX_RULE_FILE_BYTES, readRuleFile } from '../kernel/read-rule-file.ts';
import { parseYamlSource } from '../kernel/yaml-source.ts';
import { type AgreementDef, AgreementSchema } from './agreement-schema.ts';
import { deriveKey } from './match-tokens.ts';
import type { SharedKey } from './partner-tokens.ts';

/** Shortest shared secret accepted: HKDF's input keying material should be at least as long as the key it makes. */
const MIN_SECRET_BYTES = 32;

/** An agreement read, checked and with its secrets resolved. */
export interface Agreement {
  def: AgreementDef;
  file: string;
  /** The token this side presents at the partner's `/exchange`. */
  linkToken: string;
  /** The keys tokens are made and matched with, derived per partner; the last one makes tokens. */
  keys: SharedKey[];
}

/** Every agreement of a directory, and every problem found (with file, line and path). */
export interface AgreementsRead {
  agreements: Agreement[];
  problems: RuleProblem[];
}

/**
 * Reads every `*.yaml` of `dir` as an exchange agreement. A revoked agreement is left out, as
 * a removed file is. Every problem is collected (file, line, path and what is wrong) so
 * that an operator fixes them in one pass; two agreements with one partner are a problem.
 */
export function readAgreements(dir: string, env: NodeJS.ProcessEnv = process.env): AgreementsRead {
  const problems: RuleProblem[] = [];
  const agreements: Agreement[] = [];
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort().map((f) => path.join(dir, f));
  } catch (error) {
    return { agreements, problems: [{ file: dir, path: '', message: `cannot read the agreements directory: ${toError(error).message}` }] };
  }
  const partners = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = readRuleFile(file, MAX_RULE_FILE_BYTES);
    } catch (error) {
      problems.push({ file, path: '', message: toError(error).message });
      continue;
    }
    const source = parseYamlSource(file, text);
    if (source.problems.length > 0) {
      problems.push(...source.problems);
      continue;
    }
    const parsed = AgreementSchema.safeParse(source.value);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => source.problemAt(i.path, i.message)));
      continue;
    }
    const def = parsed.data;
    if (def.revoked) continue;
    const twin = partners.get(def.partner.id);
    if (twin !== undefined) {
      problems.push(source.problemAt(['partner', 'id'], `partner ${def.partner.id} already has an agreement in ${twin}`));
      continue;
    }
    partners.set(def.partner.id, file);
    const before = problems.length;
    const resolve = (ref: string, at: (string | number)[]): Buffer | undefined => {
      const found = readSecret(ref, path.dirname(file), env);
      if (typeof found === 'string') problems.push(source.problemAt(at, found));
      return typeof found === 'string' ? undefined : found;
    };
    const linkToken = resolve(def.link.token, ['link', 'token']);
    const keys: SharedKey[] = [];
    def.keys.forEach((k, i) => {
      const secret = resolve(k.secret, ['keys', i, 'secret']);
      if (secret === undefined) return;
      if (secret.length < MIN_SECRET_BYTES) {
        problems.push(source.problemAt(['keys', i, 'secret'], `the secret is ${secret.length} bytes; at least ${MIN_SECRET_BYTES} are needed`));
        return;
      }
      keys.push({ id: k.id, key: deriveKey(secret, [def.us, def.partner.id], k.id), notAfter: k.notAfter === undefined ? Number.POSITIVE_INFINITY : Date.parse(k.notAfter) });
    });
    if (problems.length === before && linkToken !== undefined) agreements.push({ def, file, linkToken: linkToken.toString('utf8').trim(), keys });
  }
  return { agreements, problems };
}

/** Like `readAgreements`, but any problem is a ConfigError listing them all. */
export function loadAgreements(dir: string, env: NodeJS.ProcessEnv = process.env): Agreement[] {
  const { agreements, problems } = readAgreements(dir, env);
  if (problems.length > 0) throw new ConfigError(describeAgreementProblems(problems));
  return agreements;
}

/** Problems as lines an operator can act on: `file:line at path: message`. */
export function describeAgreementProblems(problems: readonly RuleProblem[]): string {
  const lines = problems.map((p) => `${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.path ? ` at ${p.path}` : ''}: ${p.message}`);
  return `${problems.length} problem${problems.length === 1 ? '' : 's'} in exchange agreements:\n  ${lines.join('\n  ')}`;
}

/** The bytes an `env:` or `file:` reference names, or why they cannot be had. */
function readSecret(ref: string, base: string, env: NodeJS.ProcessEnv): Buffer | string {
  if (ref.startsWith('env:')) {
    const value = env[ref.slice(4)];
    return value === undefined || value === '' ? `environment variable ${ref.slice(4)} is not set` : Buffer.from(value, 'utf8');
  }
  const file = path.resolve(base, ref.slice(5));
  try {
    const bytes = fs.readFileSync(file);
    // A trailing newline from an editor is not part of the secret.
    const text = bytes.toString('utf8').replace(/\r?\n$/, '');
    return text.length === 0 ? `secret file ${file} is empty` : Buffer.from(text, 'utf8');
  } catch (error) {
    return `cannot read secret file ${file}: ${toError(error).message}`;
  }
}
