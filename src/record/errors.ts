import { ProcessorError } from '../errors.ts';

/** A file or directory that is not a recording this project can read, or a recording option out of range. */
export class ReplayFormatError extends ProcessorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_REPLAY_FORMAT', message, options);
  }
}

export const notARecording = (file: string, why: string): ReplayFormatError => new ReplayFormatError(`${file} is not a border-risk recording: ${why}`);
