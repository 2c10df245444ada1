import { map, type OperatorFunction } from 'rxjs';
import { type Candidate, parseFrame } from './frame.ts';
import type { IngestFrame } from './protocol.ts';

export interface ParsedFrame {
  frame: IngestFrame;
  candidates: Candidate[];
}

/** Ingest stage: splits each frame into candidate events (JSON, JSON array or NDJSON). */
export function parseFrames(): OperatorFunction<IngestFrame, ParsedFrame> {
  return map((frame) => ({ frame, candidates: parseFrame(frame.data) }));
}
