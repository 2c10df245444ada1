/**
 * A subscriber of the load benchmark, in a process of its own: it subscribes to every
 * alert from now on and notes when each event-triggered alert arrives (wall clock, in
 * milliseconds with a fraction, comparable across processes on one machine). On `stop`
 * from the parent it sends what it saw over IPC and exits.
 */
import WebSocket from 'ws';

export interface SubscriberResult {
  alerts: number;
  /** `[eventId, receivedAtMs]` of each alert raised on its event's arrival. */
  received: [string, number][];
}

const url = process.argv[2]!;
const now = (): number => performance.timeOrigin + performance.now();
const received: [string, number][] = [];
let alerts = 0;
const socket = new WebSocket(url);
socket.on('message', (data) => {
  const message = JSON.parse(data.toString()) as { type: string; alert?: { eventId: string; trigger: string } };
  if (message.type === 'welcome') process.send?.({ ready: true });
  if (message.type !== 'alert' || !message.alert) return;
  alerts += 1;
  if (message.alert.trigger === 'event') received.push([message.alert.eventId, now()]);
});
socket.on('error', (error) => {
  console.error(`load subscriber: ${error.message}`);
  process.exit(1);
});
process.on('message', (m) => {
  if ((m as { stop?: boolean }).stop) {
    const result: SubscriberResult = { alerts, received };
    process.send?.(result, () => process.exit(0));
  }
});
