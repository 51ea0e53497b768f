import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A minimal stand-in for Graph's messages endpoint: answers like Meta and counts what arrives, with
// arrival times, so the end-to-end benchmark counts completed executions where they land.
let count = 0;
let first = 0;
let last = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count, first, last }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    if (count === 0) first = now;
    count++;
    last = now;
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { to?: string };
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: String(body.to).replace('+', '') }],
        messages: [{ id: `wamid.BENCH${count}` }],
      }),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () =>
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })),
);
