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
  private readonly classOf = new Map<string, string>();
  private readonly rows = new Map<string, { events: number; planted: number; alerts: number; medium: number; rules: Map<string, number> }>();

  /** Counts one event of the stream; `planted` when it carries a planted case's label. */
  observe(eventId: string, trafficClass: string | undefined, planted: boolean): void {
    const name = trafficClass ?? UNLABELLED;
    this.classOf.set(eventId, name);
    const row = this.row(name);
    if (planted) row.planted += 1;
    else row.events += 1;
  }

  /** Counts an alert that no planted case accounts for, under the class of its event. */
  alert(alert: Alert): void {
    const row = this.row(this.classOf.get(alert.eventId) ?? UNLABELLED);
    row.alerts += 1;
    if (!countsAgainstBudget(alert)) return;
    row.medium += 1;
    for (const i of alert.indicators) row.rules.set(i.id, (row.rules.get(i.id) ?? 0) + 1);
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
