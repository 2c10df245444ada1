import { Generations } from '../indicators/state/generations.ts';
import type { BorderEvent } from '../model/event.ts';
import type { Alert } from './alert.ts';

/** Which group an alert belongs to: the first alert about its subject in the period, and its place. */
export interface AlertGroup {
  /** Alert id of the group's first alert. */
  id: string;
  /** 1 for the first alert of the group, 2 for the first repeat, ... */
  count: number;
  /** What the group is about: a document, or a consignee. */
  subject: string;
}

interface OpenGroup {
  id: string;
  startedMs: number;
  count: number;
}

/** The subject alerts are grouped by: the travel document, or the consignee of a declaration. */
export function groupSubject(event: BorderEvent): string {
  return event.kind === 'crossing'
    ? `document ${event.document.issuingState}:${event.document.number}`
    : `consignee ${event.consignee.country}:${event.consignee.name}`;
}

/**
 * Groups repeated alerts about the same subject within a period of event time
 * (Alertmanager-style): the first alert opens a group, later ones within the period
 * carry the group's id and their count, so that consoles fold them instead of showing
 * the same traveller again and again. Nothing is dropped. Groups expire like window keys.
 */
export class AlertGrouper {
  private readonly open: Generations<OpenGroup>;

  constructor(private readonly withinMs: number) {
    this.open = new Generations(withinMs);
  }

  assign(alert: Alert, eventTimeMs: number): AlertGroup {
    const subject = groupSubject(alert.event);
    this.open.rotate(eventTimeMs);
    const group = this.open.get(subject);
    if (group && Math.abs(eventTimeMs - group.startedMs) <= this.withinMs) {
      group.count += 1;
      return { id: group.id, count: group.count, subject };
    }
    this.open.set(subject, { id: alert.alertId, startedMs: eventTimeMs, count: 1 });
    return { id: alert.alertId, count: 1, subject };
  }
}
