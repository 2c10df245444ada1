import net from 'node:net';

/** A message for the SMTP relay. */
export interface Mail {
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
}

/**
 * Sends one message through an SMTP relay (RFC 5321), plain text over a plain connection:
 * EHLO, MAIL FROM, RCPT TO per recipient, DATA with dot-stuffing, QUIT. Meant for a relay
 * on the local network that accepts the processor's mail; no AUTH, no STARTTLS. Rejects
 * with the server's reply when any step is refused, or on `timeoutMs` without an answer.
 */
export function sendMail(relay: { host: string; port: number; timeoutMs?: number }, mail: Mail): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: relay.host, port: relay.port });
    socket.setTimeout(relay.timeoutMs ?? 10_000);
    socket.setEncoding('utf8');
    let buffer = '';
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const body = [`From: ${mail.from}`, `To: ${mail.to.join(', ')}`, `Subject: ${mail.subject}`, 'Content-Type: text/plain; charset=utf-8', '', ...mail.text.split(/\r?\n/).map((line) => (line.startsWith('.') ? `.${line}` : line))].join('\r\n');
    // Each step: what to send once the previous reply came, and the reply code it needs.
    const steps: [string | null, number][] = [
      [null, 220],
      ['EHLO border-risk', 250],
      [`MAIL FROM:<${mail.from}>`, 250],
      ...mail.to.map((to): [string, number] => [`RCPT TO:<${to}>`, 250]),
      ['DATA', 354],
      [`${body}\r\n.`, 250],
      ['QUIT', 221],
    ];
    let step = 0;
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      // A reply ends with a line whose code is followed by a space (multi-line replies use '-').
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^\d{3}-/.test(line)) continue;
        const code = Number(line.slice(0, 3));
        const expected = steps[step]![1];
        if (code !== expected) {
          finish(new Error(`SMTP relay ${relay.host}:${relay.port} answered "${line}" to ${step === 0 ? 'the connection' : (steps[step]![0] ?? '').split('\r\n')[0]}`));
          return;
        }
        step += 1;
        if (step === steps.length) {
          finish();
          return;
        }
        socket.write(`${steps[step]![0]}\r\n`);
      }
    });
    socket.on('timeout', () => finish(new Error(`SMTP relay ${relay.host}:${relay.port} did not answer`)));
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error(`SMTP relay ${relay.host}:${relay.port} closed the connection`)));
  });
}
