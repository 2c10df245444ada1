/** The part of a stream socket that can hold writes back: `net.Socket` and `tls.TLSSocket`. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Holds a connection's writes back until the current turn of the event loop ends, so the
 * messages sent in one turn (the acks of every frame one fdatasync made durable, the
 * alerts one event raised) leave in one system call instead of one each. `ws` corks and
 * uncorks around every message it sends; corking is counted, so the hold outlasts those.
 * Returns the function to call before sending.
 */
export function coalesceWrites(socket: Corkable): () => void {
  let held = false;
  const release = (): void => {
    held = false;
    socket.uncork();
  };
  return () => {
    if (held) return;
    held = true;
    socket.cork();
    process.nextTick(release);
  };
}
