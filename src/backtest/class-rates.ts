import type { Alert } from '../alert/alert.ts';
import type { Severity } from '../rules/rule-schema.ts';

/** Events that carry no traffic class are counted under this name. */
export const UNLABELLED = '(unlabelled)';

/** Alerts of medium severity or higher: what the false-alert budget counts. */
const COUNTED: ReadonlySet<Severity> = new Set(['medium', 'high', 'critical']);
export const countsAgainstBudget = (alert: Pick<Alert, 'severity'>): boolean => COUNTED.has(alert.severity);

/** One class of traffic: its ordinary (unplanted) events and the alerts raised about them. */
export interface ClassRate {
  class: string;
  /** Unplanted events of the class. */
  events: number;
  /** Planted events of the class (left out of the rates). */
  planted: number;
  /** Alerts of any severity about unplanted events of the class. */
  alerts: number;
  /** Of those, medium or higher: false alerts as the budget counts them. */
  mediumOrHigher: number;
  /** `mediumOrHigher` per 1,000 unplanted events of the class. */
  perThousand: number;
  /** The rules in those medium-or-higher alerts, most frequent first. */
  rules: { ruleId: string; alerts: number }[];
}

/**
 * Counts, per traffic class, the alerts raised about ordinary events: every event that is
 * not a planted case, with the alerts about it that no planted case accounts for.
 */
export class ClassRates {
  /**
   * Each event's id and class (an index into `names`), in stream order. Arrays rather than a
   * map by event id: only the few alerted events' classes are ever looked up, once, at the end
   * (`alerts`), and a map entry per event cost more than the rules of a stateless event.
   */
  private readonly eventIds: string[] = [];
  private readonly eventClasses: number[] = [];
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  private readonly rows = new Map<string, { events: number; planted: number; alerts: number; medium: number; rules: Map<string, number> }>();

  /** Counts one event of the stream; `planted` when it carries a planted case's label. */
  observe(eventId: string, trafficClass: string | undefined, planted: boolean): void {
    const name = trafficClass ?? UNLABELLED;
    let index = this.nameIndex.get(name);
    if (index === undefined) {
      index = this.names.push(name) - 1;
      this.nameIndex.set(name, index);
    }
    this.eventIds.push(eventId);
    this.eventClasses.push(index);
    const row = this.row(name);
    if (planted) row.planted += 1;
    else row.events += 1;
  }

  /** Counts the alerts that no planted case accounts for, each under the class of its event (the last event of that id). */
  alerts(alerts: readonly Alert[]): void {
    const wanted = new Set(alerts.map((a) => a.eventId));
    const classOf = new Map<string, string>();
    for (let i = 0; i < this.eventIds.length; i++) {
      const id = this.eventIds[i]!;
      if (wanted.has(id)) classOf.set(id, this.names[this.eventClasses[i]!]!);
    }
    for (const alert of alerts) {
      const row = this.row(classOf.get(alert.eventId) ?? UNLABELLED);
      row.alerts += 1;
      if (!countsAgainstBudget(alert)) continue;
      row.medium += 1;
      for (const i of alert.indicators) row.rules.set(i.id, (row.rules.get(i.id) ?? 0) + 1);
    }
  }

  /** Whether any event carried a class. */
  get labelled(): boolean {
    for (const name of this.rows.keys()) if (name !== UNLABELLED) return true;
    return false;
  }

  /** One row per class, in name order, then `all`. */
  report(): ClassRate[] {
    const total = { events: 0, planted: 0, alerts: 0, medium: 0, rules: new Map<string, number>() };
    const out: ClassRate[] = [];
    for (const [name, r] of [...this.rows.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      out.push(rate(name, r));
      total.events += r.events;
      total.planted += r.planted;
      total.alerts += r.alerts;
      total.medium += r.medium;
      for (const [id, n] of r.rules) total.rules.set(id, (total.rules.get(id) ?? 0) + n);
    }
    out.push(rate('all', total));
    return out;
  }

  private row(name: string) {
    let row = this.rows.get(name);
    if (!row) {
      row = { events: 0, planted: 0, alerts: 0, medium: 0, rules: new Map() };
      this.rows.set(name, row);
    }
    return row;
  }
}

function rate(name: string, r: { events: number; planted: number; alerts: number; medium: number; rules: Map<string, number> }): ClassRate {
  return {
    class: name,
    events: r.events,
    planted: r.planted,
    alerts: r.alerts,
    mediumOrHigher: r.medium,
    perThousand: r.events > 0 ? (1000 * r.medium) / r.events : 0,
    rules: [...r.rules.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([ruleId, alerts]) => ({ ruleId, alerts })),
  };
}
