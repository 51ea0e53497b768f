import { signBody } from '@switchboard/whatsapp';

/**
 * POSTs signed webhook bytes the way Meta does; the answer's status, or 0 when the connection failed
 * (refused, reset, or no answer within the timeout).
 */
export async function postSigned(url: string, body: Buffer, appSecret: string): Promise<number> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, appSecret) },
      body,
      signal: AbortSignal.timeout(35_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Delivers one webhook until it is answered 200, re-sending the same bytes after a short pause on any
 * other answer, as Meta retries. Returns how many tries failed before the 200.
 */
export async function deliverUntilOk(
  url: string,
  body: Buffer,
  appSecret: string,
  options: { pauseMs?: number; giveUpAfterMs?: number } = {},
): Promise<number> {
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? 120_000);
  let failed = 0;
  for (;;) {
    const status = await postSigned(url, body, appSecret);
    if (status === 200) return failed;
    failed++;
    if (Date.now() > giveUpAt) throw new Error(`webhook not accepted after ${failed} tries (last ${status})`);
    await pause(options.pauseMs ?? 200);
  }
}
