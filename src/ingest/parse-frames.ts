import { map, type OperatorFunction } from 'rxjs';
import type { AirReadOptions } from '../edifact/read-air-messages.ts';
import { type Candidate, parseFrame } from './frame.ts';
import type { IngestFrame } from './protocol.ts';

export interface ParsedFrame {
  frame: IngestFrame;
  candidates: Candidate[];
}

/**
 * Ingest stage: splits each frame into candidate events (JSON, JSON array or NDJSON, or
 * UN/EDIFACT PAXLST and PNRGOV messages read with the options `air` gives at the time).
 */
export function parseFrames(air: () => AirReadOptions = () => ({})): OperatorFunction<IngestFrame, ParsedFrame> {
  return map((frame) => ({ frame, candidates: parseFrame(frame.data, air()) }));
}
