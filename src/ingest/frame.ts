/** One event-sized piece of a frame: a parsed JSON value, or why it could not be parsed. */
export type Candidate =
  | { ok: true; value: unknown }
  | { ok: false; message: string; raw: string };

/**
 * Splits one WebSocket frame into candidate events. A frame holds one JSON event,
 * a JSON array of events, or NDJSON (one event per line). A frame that is not JSON
 * as a whole but has several lines is read as NDJSON, so one bad line costs only
 * itself.
 */
export function parseFrame(text: string): Candidate[] {
  const trimmed = text.trim();
  if (trimmed === '') return [{ ok: false, message: 'empty frame', raw: text }];
  try {
    const value: unknown = JSON.parse(trimmed);
    if (!Array.isArray(value)) return [{ ok: true, value }];
    if (value.length === 0) return [{ ok: false, message: 'empty array: a frame must hold at least one event', raw: text }];
    return value.map((v: unknown) => ({ ok: true, value: v }));
  } catch (thrown) {
    if (!trimmed.includes('\n')) return [{ ok: false, message: invalidJson(thrown), raw: text }];
  }
  const candidates: Candidate[] = [];
  for (const line of trimmed.split('\n')) {
    if (line.trim() === '') continue;
    try {
      candidates.push({ ok: true, value: JSON.parse(line) as unknown });
    } catch (thrown) {
      candidates.push({ ok: false, message: invalidJson(thrown), raw: line });
    }
  }
  return candidates;
}

function invalidJson(thrown: unknown): string {
  return `invalid JSON: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
}
