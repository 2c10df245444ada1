import { z } from 'zod';
import type { PlantedLabel } from './recorded-event.ts';
import { ConfigError } from '../errors.ts';
import { linesSync } from '../kernel/read-lines.ts';

/**
 * One line of a labels file (`FILE.labels.ndjson`, as `generate` writes it beside its
 * traffic): the event's traffic class and, for a planted case, the case and the
 * indicators its alert must carry. Either part may be missing, so that a file of planted
 * cases only (the older form) or of classes only is read alike. Extra keys are kept out
 * of the way rather than refused: other tools label traffic too.
 */
const LabelLineSchema = z.looseObject({
  eventId: z.string().min(1),
  class: z.string().min(1).max(100).optional(),
  trafficClass: z.string().min(1).max(100).optional(),
  case: z.string().min(1).max(100).optional(),
  indicators: z.array(z.string().min(1)).optional(),
  eventTime: z.string().optional(),
  post: z.string().optional(),
}).refine((l) => (l.case === undefined) === (l.indicators === undefined), { message: 'a planted case needs both case and indicators' });

export interface EventLabels {
  trafficClass?: string;
  label?: PlantedLabel;
}

/** Reads a labels file into labels by event id; a malformed line is a ConfigError naming its line. */
export function readLabelsFile(file: string): Map<string, EventLabels> {
  const out = new Map<string, EventLabels>();
  let lineNumber = 0;
  for (const line of linesSync(file)) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (thrown) {
      throw new ConfigError(`${file}:${lineNumber}: invalid JSON: ${(thrown as Error).message}`);
    }
    const checked = LabelLineSchema.safeParse(parsed);
    if (!checked.success) throw new ConfigError(`${file}:${lineNumber}: not a label line: ${checked.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')}`);
    const l = checked.data;
    const labels: EventLabels = {};
    const trafficClass = l.class ?? l.trafficClass;
    if (trafficClass !== undefined) labels.trafficClass = trafficClass;
    if (l.case !== undefined && l.indicators !== undefined) {
      labels.label = { eventId: l.eventId, eventTime: l.eventTime ?? '', post: l.post ?? '', case: l.case, indicators: l.indicators };
    }
    out.set(l.eventId, labels);
  }
  return out;
}
