import { Observable, type OperatorFunction } from 'rxjs';
import { toError } from '../errors.ts';

/** Told about an item a stage could not process; the stream goes on without it. */
export type FaultHandler = (stage: string, error: Error, item: unknown) => void;

/**
 * `map` that keeps the stream alive: an exception for one item is reported and that
 * item is dropped, instead of erroring the live stream for everyone. Returning
 * `undefined` from `project` drops the item quietly (a filter).
 */
export function safeMap<T, R>(stage: string, project: (item: T) => R | undefined, onFault: FaultHandler): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) =>
      source.subscribe({
        next(item) {
          let out: R | undefined;
          try {
            out = project(item);
          } catch (thrown) {
            onFault(stage, toError(thrown), item);
            return;
          }
          if (out !== undefined) subscriber.next(out);
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      }),
    );
}
