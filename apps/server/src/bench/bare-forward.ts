import type { AddressInfo } from 'node:net';
import express from 'express';

// Baseline for the end-to-end benchmark: Express 5 takes the webhook and makes the same outbound POST
// to the fake Cloud API before answering. No signature, no storage, no flow.
const target = `${process.env.GRAPH_URL}/v23.0/100000000000000/messages`;
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/webhooks/whatsapp', async (req, res) => {
  const from = req.body?.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.from ?? '0';
  await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
    body: JSON.stringify({
      messaging_product: 'whatsapp',
      to: `+${from}`,
      type: 'text',
      text: { body: '¡Hola! ¿En qué te ayudo?' },
    }),
  });
  res.status(200).json({ ok: true });
});
const server = app.listen(0, '127.0.0.1', () =>
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })),
);
