import { Generations, type SavedGenerations } from '../state/generations.ts';
import type { BorderEvent } from '../model/event.ts';
import type { Alert, AlertGroup } from './alert.ts';

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

  /** The open groups as plain JSON: `[first alert id, start, count]` per subject. */
  save(): SavedGenerations<[string, number, number]> {
    return this.open.save((g) => [g.id, g.startedMs, g.count]);
  }

  restore(saved: SavedGenerations<[string, number, number]>): void {
    this.open.restore(saved, ([id, startedMs, count]) => ({ id, startedMs, count }));
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

/** The alert stage's grouping as saved: the period and the open groups, or null before any grouping. */
export type SavedGrouping = { withinMs: number; open: SavedGenerations<[string, number, number]> } | null;

/**
 * The alert stage's grouping memory: a grouper for the period the scoring config names,
 * made afresh when a rule reload changes the period. Kept outside the stage so that a
 * snapshot can save it and a restart continue it.
 */
export class AlertGrouping {
  private current: { withinMs: number; grouper: AlertGrouper } | undefined;

  /** Gives each alert its group; `withinMs` undefined (no grouping configured) leaves them as they are. */
  assign(alerts: readonly Alert[], withinMs: number | undefined): void {
    if (withinMs === undefined) return;
    if (this.current?.withinMs !== withinMs) this.current = { withinMs, grouper: new AlertGrouper(withinMs) };
    for (const alert of alerts) alert.group = this.current.grouper.assign(alert, Date.parse(alert.eventTime));
  }

  save(): SavedGrouping {
    return this.current ? { withinMs: this.current.withinMs, open: this.current.grouper.save() } : null;
  }

  static restore(saved: SavedGrouping): AlertGrouping {
    const grouping = new AlertGrouping();
    if (saved) {
      const grouper = new AlertGrouper(saved.withinMs);
      grouper.restore(saved.open);
      grouping.current = { withinMs: saved.withinMs, grouper };
    }
    return grouping;
  }
}
