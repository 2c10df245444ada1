import type { EnrichedEvent } from '../enrich/enriched.ts';
import type { BorderEvent, EventKind } from '../model/event.ts';
import type { Evidence } from '../state/condition.ts';
import type { Severity } from '../rules/rule-schema.ts';
import type { CompiledRule } from '../rules/rule-set.ts';
import type { SuppressedIndicator } from '../indicators/evaluate-indicators.ts';


/** Which group an alert belongs to: the first alert about its subject in the period, and its place. */
export interface AlertGroup {
  /** Alert id of the group's first alert. */
  id: string;
  /** 1 for the first alert of the group, 2 for the first repeat, ... */
  count: number;
  /** What the group is about: a document, or a consignee. */
  subject: string;
}
/** One indicator that fired, with everything it looked at. */
export interface FiredIndicator {
  id: string;
  version: number;
  title: string;
  /** The rule's rationale, written for analysts (absent from alerts stored before it was carried). */
  description?: string;
  weight: number;
  severity: Severity;
  tags: string[];
  evidence: Evidence[];
}

/**
 * An explained alert. Its content depends only on the event and the rule set, never on
 * the wall clock, so a replay of the same journal gives byte-identical alerts.
 */
export interface Alert {
  alertId: string;
  eventId: string;
  kind: EventKind;
  post: string;
  eventTime: string;
  /** Record number of the event in the journal. */
  journalRecord: number;
  /** A one-line description of who or what the alert is about. */
  subject: string;
  score: number;
  threshold: number;
  severity: Severity;
  ruleSetVersion: string;
  indicators: FiredIndicator[];
  /** Ids of shadow rules that fired: counted for their authors, not scored. */
  shadowIndicators: string[];
  /**
   * `event`: raised when the event arrived. `absence`: raised later, when event time
   * passed the end of an absence rule's period with no matching event. `bucket`: raised
   * when event time passed the end of a bucket an anomaly indicator found anomalous
   * (the event is then the key's newest one up to the bucket's end).
   */
  trigger: 'event' | 'absence' | 'bucket';
  /** Set when scoring groups alerts: the group this alert belongs to (see docs/protocol.md). */
  group?: AlertGroup;
  /**
   * Watchlist indicators that matched this event but were kept from firing by an
   * analyst's confirmed non-match, with the non-match (docs/casework.md).
   */
  suppressed?: SuppressedIndicator[];
  event: BorderEvent;
}

/** Alert stage helper: explains every fired rule against the event. */
export function buildAlert(
  enriched: EnrichedEvent,
  fired: readonly CompiledRule[],
  score: number,
  severity: Severity,
  threshold: number,
  ruleSetVersion: string,
  stateEvidence: ReadonlyMap<string, Evidence[]> | null = null,
  trigger: Alert['trigger'] = 'event',
  about: { alertId?: string | undefined; subject?: string | undefined } = {},
): Alert {
  const { event } = enriched;
  const indicators: FiredIndicator[] = [];
  const shadow: string[] = [];
  for (const rule of fired) {
    if (rule.def.shadow) {
      shadow.push(rule.def.id);
      continue;
    }
    const evidence = ruleEvidence(rule, enriched, stateEvidence);
    const { id, version, title, description, weight, severity: ruleSeverity, tags } = rule.def;
    indicators.push({ id, version, title, description, weight, severity: ruleSeverity, tags, evidence });
  }
  return {
    alertId: about.alertId ?? (trigger === 'event' ? `alert:${event.eventId}` : `alert:${event.eventId}:${fired.map((r) => r.def.id).join('+')}`),
    eventId: event.eventId,
    kind: event.kind,
    post: event.post,
    eventTime: event.eventTime,
    journalRecord: enriched.n,
    subject: about.subject ?? subjectOf(event),
    score,
    threshold,
    severity,
    ruleSetVersion,
    indicators,
    shadowIndicators: shadow,
    trigger,
    event,
  };
}

/**
 * What a rule looked at on an event: its condition's values (sequences and absences have
 * none of their own) and what its window or sequence held when it fired.
 */
export function ruleEvidence(rule: CompiledRule, enriched: EnrichedEvent, stateEvidence: ReadonlyMap<string, Evidence[]> | null): Evidence[] {
  const evidence: Evidence[] = [];
  if (rule.kind?.condition !== 'none') rule.condition.explain(enriched, evidence);
  const captured = stateEvidence?.get(rule.def.id);
  if (captured) evidence.push(...captured);
  return evidence;
}

export function subjectOf(event: BorderEvent): string {
  if (event.kind === 'crossing') {
    const { traveller: t, document: d } = event;
    return `${t.familyName.toUpperCase()} ${t.givenNames} (${t.nationality}, ${t.dateOfBirth}) ${d.type} ${d.issuingState} ${d.number}`.replace(/\s+/g, ' ');
  }
  return `declaration ${event.declarationId}: ${event.shipper.name} (${event.shipper.country}) → ${event.consignee.name} (${event.consignee.country})`;
}
