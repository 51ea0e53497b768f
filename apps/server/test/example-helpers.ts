import { readdirSync, readFileSync } from 'node:fs';
import { signBody } from '@switchboard/whatsapp';
import { expect } from 'vitest';
import { eventually, inbound, type Loose, metaBytes, type startWhatsAppServer } from './wa-helpers.js';

type Server = Awaited<ReturnType<typeof startWhatsAppServer>>;

const dir = new URL('../../../workflows/', import.meta.url);

/** Every example flow document in workflows/. */
export function exampleFlows(): Loose[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.workflow.json'))
    .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
}

/** What the tests of examples do to a server: customers, shops, runs, the sandbox's log. */
export function exampleDriver(s: Server) {
  const d = {
    /** A customer message now, through the sandbox (signed, real ingress). */
    customer: async (from: string, body: object) => {
      const r = await s.api('/api/sandbox/messages', {
        method: 'POST',
        json: { from, name: 'Cliente', ...body },
      });
      expect(r.body.ingressStatus).toBe(200);
    },
    /** A customer message sent `hoursAgo` (a signed webhook with that timestamp): the window it opened is closed. */
    wroteLongAgo: async (from: string, text: string, hoursAgo: number) => {
      const at = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
      const raw = metaBytes(
        inbound(from, `wamid.OLD${from}${hoursAgo}`, at, { type: 'text', text: { body: text } }),
      );
      // A keyword (ALTA, STOP) is a second event of the same message: the consent change.
      expect((await s.hook(raw)).body).toMatchObject({ duplicates: 0 });
      await eventually(async () =>
        (await s.api(`/api/contacts/${from}`)).status === 200 ? true : undefined,
      );
    },
    /** A signed POST to /hooks/<path>, as a shop or booking system sends it. */
    post: async (path: string, body: object, secret: string) => {
      const raw = JSON.stringify(body);
      const r = await fetch(`${s.base}/hooks/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature-256': signBody(raw, secret) },
        body: raw,
      });
      expect(r.status).toBe(202);
    },
    runs: async (flowId: string) =>
      (await s.api(`/api/executions?flowId=${flowId}&limit=500`)).body.items as Loose[],
    /** The run of `flowId` started after the ones in `before` (tests start one at a time). */
    newRun: async (flowId: string, before: Loose[]) =>
      eventually(async () => (await d.runs(flowId)).find((r) => !before.some((b) => b.id === r.id))),
    /** Waits for the run to reach `status`; returns it with its steps. */
    until: (runId: string, status: string) =>
      eventually(async () => {
        const r = (await s.api(`/api/executions/${runId}`)).body;
        return r.status === status ? r : undefined;
      }),
    /** Waits until the run is parked on `nodeId` (its latest step), e.g. for a reply after a skipped delay. */
    parkedAt: (runId: string, nodeId: string) =>
      eventually(async () => {
        const r = (await s.api(`/api/executions/${runId}`)).body;
        const last = (r.steps as Loose[]).at(-1);
        return r.status === 'waiting' && last?.nodeId === nodeId && last.status === 'waiting' ? r : undefined;
      }),
    path: (run: Loose) => (run.steps as Loose[]).filter((x) => x.status === 'succeeded').map((x) => x.nodeId),
    /** Skip the wait: the product's `POST /api/executions/:id/wake`. */
    wake: async (runId: string) => {
      const r = await s.api(`/api/executions/${runId}/wake`, { method: 'POST' });
      expect([r.status, r.body.skippedWaits]).toEqual([200, 1]);
    },
    /** Outbox rows for a contact, oldest first. */
    outbox: async (waId: string) =>
      ((await s.api(`/api/messages?waId=${waId}`)).body.items as Loose[]).reverse(),
    /** Waits until every outbox row of the contact is settled (read or refused) and returns them. */
    settledOutbox: (waId: string, count: number) =>
      eventually(async () => {
        const rows = await d.outbox(waId);
        return rows.length === count && rows.every((m) => ['read', 'refused'].includes(m.status))
          ? rows
          : undefined;
      }),
    /** What the fake Cloud API received for this number. */
    sandboxSends: async (waId: string) =>
      ((await s.api('/api/sandbox/sends')).body.items as Loose[])
        .filter((x) => x.body.to === `+${waId}`)
        .map((x) => x.body),
    setActive: async (flowId: string, active: boolean) => {
      const r = await s.api(`/api/flows/${flowId}/${active ? 'activate' : 'deactivate'}`, { method: 'POST' });
      expect(r.body.active).toBe(active);
    },
  };
  return d;
}
