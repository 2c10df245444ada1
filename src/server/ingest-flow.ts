import { ConfigError } from '../errors.ts';
/** What flow control needs of a producer's connection; the `ws` adapter provides it. */
export interface FlowSocket {
  /** Stop reading from the connection: TCP backpressure then reaches the producer. */
  pause(): void;
  resume(): void;
  /** Bytes of replies queued but not yet taken by the network (a producer not reading its acks). */
  readonly bufferedAmount: number;
}

export interface IngestFlowOptions {
  /** Frames a connection may have unanswered before the server stops reading it. @default 64 */
  maxFramesPerConnection?: number;
  /** Bytes of unanswered frames a connection may have before the server stops reading it. @default 4 * 1024 * 1024 */
  maxBytesPerConnection?: number;
  /** Bytes of unanswered frames over all connections before the server stops reading any more. @default 32 * 1024 * 1024 */
  maxBytes?: number;
  /** Bytes of replies a connection may have unsent (its producer does not read them) before the server stops reading it. @default 1024 * 1024 */
  maxReplyBytes?: number;
}

/** Figures for `/health`. */
export interface FlowState {
  inFlightFrames: number;
  inFlightBytes: number;
  /** Connections whose reading is paused now. */
  pausedConnections: number;
  /** Times a connection was paused since start. */
  pauses: number;
}

/**
 * Bounds the work accepted but not yet answered, per connection and overall. A frame is
 * in flight from the moment it is read until its reply is handed to the socket; while a
 * connection is over a bound, or its replies pile up unread, its socket is not read, so
 * a producer that sends faster than the processor can go is slowed by TCP itself and
 * the server's memory stays bounded. Other connections keep their own allowance.
 */
export class IngestFlow {
  readonly maxFramesPerConnection: number;
  readonly maxBytesPerConnection: number;
  readonly maxBytes: number;
  readonly maxReplyBytes: number;
  private frames = 0;
  private bytes = 0;
  private pauses = 0;
  private readonly paused = new Set<FlowConnection>();

  constructor(options: IngestFlowOptions = {}) {
    const { maxFramesPerConnection = 64, maxBytesPerConnection = 4 * 1024 * 1024, maxBytes = 32 * 1024 * 1024, maxReplyBytes = 1024 * 1024 } = options;
    for (const [name, value] of Object.entries({ maxFramesPerConnection, maxBytesPerConnection, maxBytes, maxReplyBytes })) {
      if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer, got ${value}`);
    }
    this.maxFramesPerConnection = maxFramesPerConnection;
    this.maxBytesPerConnection = maxBytesPerConnection;
    this.maxBytes = maxBytes;
    this.maxReplyBytes = maxReplyBytes;
  }

  /** Flow control for one new connection. */
  connect(socket: FlowSocket): FlowConnection {
    return new FlowConnection(this, socket);
  }

  state(): FlowState {
    return { inFlightFrames: this.frames, inFlightBytes: this.bytes, pausedConnections: this.paused.size, pauses: this.pauses };
  }

  /** @internal */
  add(frames: number, bytes: number): void {
    this.frames += frames;
    this.bytes += bytes;
  }

  /** @internal */
  get overBudget(): boolean {
    return this.bytes > this.maxBytes;
  }

  /** @internal */
  setPaused(connection: FlowConnection, paused: boolean): void {
    if (paused) {
      this.paused.add(connection);
      this.pauses += 1;
    } else this.paused.delete(connection);
  }

  /** @internal Room was freed: connections paused only by the overall bound may read again. */
  released(): void {
    if (this.overBudget) return;
    for (const connection of [...this.paused]) connection.check();
  }
}

/** One connection's share: counts its unanswered frames and pauses or resumes its socket. */
export class FlowConnection {
  private readonly flow: IngestFlow;
  private readonly socket: FlowSocket;
  private frames = 0;
  private bytes = 0;
  private paused = false;
  private closed = false;

  constructor(flow: IngestFlow, socket: FlowSocket) {
    this.flow = flow;
    this.socket = socket;
  }

  /** A frame of `bytes` was read. */
  received(bytes: number): void {
    this.frames += 1;
    this.bytes += bytes;
    this.flow.add(1, bytes);
    this.check();
  }

  /** The reply to a frame of `bytes` was handed to the socket. */
  answered(bytes: number): void {
    this.frames -= 1;
    this.bytes -= bytes;
    this.flow.add(-1, -bytes);
    this.check();
    this.flow.released();
  }

  /** The connection closed: what it still had in flight no longer counts once answered, and it is never resumed. */
  close(): void {
    this.closed = true;
    if (this.paused) this.flow.setPaused(this, false);
    this.paused = false;
  }

  /** Pauses or resumes reading to match the bounds. */
  check(): void {
    if (this.closed) return;
    const over =
      this.frames >= this.flow.maxFramesPerConnection ||
      this.bytes >= this.flow.maxBytesPerConnection ||
      this.flow.overBudget ||
      this.socket.bufferedAmount > this.flow.maxReplyBytes;
    if (over === this.paused) return;
    this.paused = over;
    this.flow.setPaused(this, over);
    if (over) this.socket.pause();
    else this.socket.resume();
  }
}
