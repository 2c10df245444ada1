import type { BorderEvent } from '../model/event.ts';

/**
 * What a recording keeps beside a planted event: the case it belongs to and the
 * indicators its alert must name. The generator that plants the cases narrows `case`
 * to its own case names; a recording takes any name, since it outlives the generator
 * that wrote it.
 */
export interface PlantedLabel {
  eventId: string;
  eventTime: string;
  post: string;
  case: string;
  /** Indicators that must appear in the alert this event raises. */
  indicators: string[];
}

/**
 * One event of a recording: its journal record number, the event, its planted-case label
 * if it has one, and the class of traffic it belongs to when its source labelled it (bus,
 * commuter, rail-cargo...: free text, so that any labelled source can be measured by class).
 */
export interface RecordedEvent {
  n: number;
  event: BorderEvent;
  label?: PlantedLabel;
  trafficClass?: string;
}
