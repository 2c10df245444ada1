import type { EventIssue } from '../model/event.ts';

/** Issues kept per event, and the length of each issue's message and path: zod can list every unknown key of a 1 MiB object in one message. */
export const MAX_KEPT_ISSUES = 20;
const MAX_MESSAGE_CHARS = 300;
const MAX_PATH_CHARS = 200;

/** At most `MAX_KEPT_ISSUES` issues, each cut to a bounded length, and a last one counting the rest. */
export function boundIssues(issues: readonly EventIssue[]): EventIssue[] {
  const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`);
  const kept = issues.slice(0, MAX_KEPT_ISSUES).map((i) => (i.message.length <= MAX_MESSAGE_CHARS && i.path.length <= MAX_PATH_CHARS ? i : { path: cut(i.path, MAX_PATH_CHARS), message: cut(i.message, MAX_MESSAGE_CHARS) }));
  if (issues.length > MAX_KEPT_ISSUES) kept.push({ path: '', message: `and ${issues.length - MAX_KEPT_ISSUES} more issue(s)` });
  return kept;
}
