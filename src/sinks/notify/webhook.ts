import crypto from 'node:crypto';

/** The signature header's value for `body`: `sha256=` and the HMAC-SHA256 of the exact bytes sent, in hex. */
export function signature(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs a JSON body to a webhook, signed in `x-border-risk-signature` (as GitHub signs its
 * webhooks), so that the receiver can check it came from this processor unchanged. Resolves
 * on a 2xx answer; rejects with the status or the network error otherwise.
 */
export async function postSigned(url: string, secret: string, body: string, timeoutMs = 10_000): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-border-risk-signature': signature(secret, body) },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`webhook ${url} answered ${response.status}`);
}
