import { signBody } from '@switchboard/whatsapp';
import { startInProcess } from './in-process.js';
import { waitFor } from './process-helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON answers
export type Loose = any;

export const APP_SECRET = 'test-app-secret-0123';
export const VERIFY_TOKEN = 'verify-me-please';
export const KEY = 'wa-test-key-0123456789';
export const PHONE_NUMBER_ID = '106540352242922';
export const BUSINESS = {
  phoneNumberId: PHONE_NUMBER_ID,
  displayPhoneNumber: '15550783881',
  wabaId: '102290129340398',
};

/** A Switchboard in sandbox mode on a free port, in this process. */
export async function startWhatsAppServer(env: Record<string, string> = {}) {
  const { rt, base, dataDir, close } = await startInProcess(
    {
      SWITCHBOARD_API_KEY: KEY,
      SWITCHBOARD_SEED_EXAMPLES: 'false',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_WABA_ID: BUSINESS.wabaId,
      WHATSAPP_DISPLAY_PHONE_NUMBER: BUSINESS.displayPhoneNumber,
      WHATSAPP_SANDBOX_STATUS_DELAYS_MS: '20,40,60',
      WHATSAPP_RETRY_BASE_MS: '50',
      WHATSAPP_PAIR_SPACING_MS: '0',
      // The vendor fakes listen on 127.0.0.1, which the outbound guard refuses unless allowed.
      SWITCHBOARD_HTTP_ALLOWLIST: '127.0.0.1',
      ...env,
    },
    { prefix: 'sb-wa-', keepData: true },
  );
  const api = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    const text = await res.text();
    let body: Loose = text;
    try {
      body = JSON.parse(text);
    } catch {}
    // A plain record keeps the helper's inferred type nameable (no undici-types leak).
    const headers: Record<string, string> = Object.fromEntries(res.headers);
    return { status: res.status, body, headers };
  };
  /** Posts raw bytes with a real signature (or the given one) to the ingress. */
  const hook = async (raw: Buffer | string, signature: string | null = signBody(raw, APP_SECRET)) => {
    const res = await fetch(`${base}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
      },
      body: raw,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Loose) : null };
  };
  /** Imports a flow document and, unless told not to, activates it. */
  const install = async (doc: { id: string; [key: string]: unknown }, active = true) => {
    const created = await api('/api/flows', { method: 'POST', json: doc });
    if (created.status !== 201)
      throw new Error(`import ${doc.id}: ${created.status} ${JSON.stringify(created.body)}`);
    if (active) await api(`/api/flows/${doc.id}/activate`, { method: 'POST' });
  };
  /** Starts a run of a flow's current version; returns its id. */
  const startRun = async (flowId: string, payload: unknown, contactId?: string) => {
    const r = await api(`/api/flows/${flowId}/runs`, { method: 'POST', json: { payload, contactId } });
    if (r.status !== 202) throw new Error(`start ${flowId}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.runId as string;
  };
  /** A run with its steps, as `GET /api/executions/:id` shows it. */
  const execution = async (runId: string): Promise<Loose> => (await api(`/api/executions/${runId}`)).body;
  /** Waits until the run has ended (succeeded, failed or cancelled); returns it. */
  const settled = (runId: string) =>
    eventually(async () => {
      const r = await execution(runId);
      return ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
    });
  return { rt, base, api, hook, install, startRun, execution, settled, close, dataDir };
}

/** Polls until `check` returns a value (shared with the process tests). */
export const eventually = waitFor;

const unix = (iso: string) => String(Math.floor(new Date(iso).getTime() / 1000));

/** A `messages` change body in Meta's shape. */
export function messagesBody(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: BUSINESS.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: BUSINESS.displayPhoneNumber,
                phone_number_id: PHONE_NUMBER_ID,
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export function inbound(
  from: string,
  id: string,
  at: string,
  message: Record<string, unknown>,
  name = 'Cliente',
) {
  return messagesBody({
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id, timestamp: unix(at), ...message }],
  });
}

export function status(id: string, recipient: string, s: string, at: string, errors?: unknown[]) {
  return messagesBody({
    statuses: [
      { id, status: s, timestamp: unix(at), recipient_id: recipient, ...(errors ? { errors } : {}) },
    ],
  });
}

/** JSON with non-ASCII escaped as \uXXXX, the way Meta signs it. */
export function metaBytes(payload: unknown): Buffer {
  return Buffer.from(
    JSON.stringify(payload).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  );
}

export type FlowNode = { id: string; type: string; params?: object; retry?: object };

/**
 * A flow document started by `trigger` (`start`, a manual trigger by default), terse nodes and `a->b` /
 * `a.port->b` edges.
 */
export function flowDoc(id: string, nodes: FlowNode[], edges: string[], trigger = 'trigger.manual') {
  return {
    schemaVersion: 1,
    id,
    name: id,
    nodes: [{ id: 'start', type: trigger }, ...nodes].map((n, i) => ({
      params: {},
      position: { x: i * 200, y: 0 },
      ...n,
    })),
    edges: edges.map((e, i) => {
      const [from, to] = e.split('->') as [string, string];
      const [source, sourcePort = 'out'] = from.split('.') as [string, string?];
      return { id: `e${i}`, source, sourcePort, target: to };
    }),
  };
}

/** An `action.log` node. */
export const logNode = (id: string, message = id): FlowNode => ({
  id,
  type: 'action.log',
  params: { message },
});
