/**
 * What a closed standard output or error (EPIPE: the reader of a pipe went away) means
 * for a command. For one that only prints (`generate | head`) it is the reader's choice
 * and the command ends quietly. For `serve` it is not a reason to stop: `npm start 2>&1 |
 * cat` then Ctrl-C ends `cat` first, and the processor must still flush its journal and
 * write its snapshot, so it keeps going without output until its own signal arrives.
 */

let onClosed: () => void = () => process.exit(0);

/** Makes a closed output harmless for the rest of the process: later writes are dropped. */
export function keepRunningWithoutOutput(): void {
  onClosed = () => {
    // The reader went away: drop the write.
  };
}

/** Installs the handlers on standard output and error; once, at startup. */
export function handleClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // After the first EPIPE the stream is destroyed and later writes report that instead.
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      onClosed();
    });
  }
}
