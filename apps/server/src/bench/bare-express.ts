import type { AddressInfo } from 'node:net';
import express from 'express';

// The baseline for the webhook benchmark: Express 5 parsing a JSON body and answering 200, nothing else.
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/webhooks/whatsapp', (req, res) => {
  res
    .status(200)
    .json({ received: Array.isArray(req.body?.entry) ? req.body.entry.length : 0, duplicates: 0 });
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
