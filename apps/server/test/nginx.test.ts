import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { signBody } from '@switchboard/whatsapp';
import { afterAll, expect, it } from 'vitest';
import { describeIfServices, freshPostgresEnv, scaleOutServicesMissing } from './in-process.js';
import { crashLab, tempDir, waitFor } from './process-helpers.js';
import { inbound, metaBytes, PHONE_NUMBER_ID } from './wa-helpers.js';

// deploy/nginx/switchboard.conf in front of two web processes and a worker on one Postgres database
// (Debian's nginx; the built server). Only the upstream addresses and the listen port are rewritten.

const CONF = new URL('../../../deploy/nginx/switchboard.conf', import.meta.url);
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const APP_SECRET = 'nginx-app-secret-0123';
const KEY = 'nginx-test-key-0123456789';

const missing = NGINX ? await scaleOutServicesMissing() : 'nginx is not installed (apt-get install nginx)';
// CI (SWITCHBOARD_REQUIRE_SERVICES=1, with nginx installed by .ci/run) fails instead of skipping.

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** The shipped server block with these upstreams and port, inside a minimal nginx.conf of its own. */
function nginxConfig(dir: string, upstreams: string[], port: number): string {
  const block = readFileSync(CONF, 'utf8')
    .replace(/(upstream switchboard_web \{\n)(?:\s*server [^\n]*\n)+/, (_, head: string) =>
      [head, ...upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=2s;\n`)].join(''),
    )
    .replace(/listen 8080;/, `listen 127.0.0.1:${port};`);
  writeFileSync(join(dir, 'switchboard.conf'), block);
  const main = `worker_processes 1;
error_log ${join(dir, 'error.log')} warn;
pid ${join(dir, 'nginx.pid')};
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'tmp')};
  proxy_temp_path ${join(dir, 'tmp')};
  include ${join(dir, 'switchboard.conf')};
}
`;
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  writeFileSync(join(dir, 'nginx.conf'), main);
  return join(dir, 'nginx.conf');
}

/** POST /webhooks/whatsapp answers counted by a process's own /metrics. */
async function webhooksServed(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return [
    ...text.matchAll(
      /switchboard_http_request_duration_seconds_count\{[^}]*route="\/webhooks\/whatsapp"[^}]*status="200"[^}]*\} (\d+)/g,
    ),
  ].reduce((sum, m) => sum + Number(m[1]), 0);
}

describeIfServices(missing, 'nginx in front of two web processes and a worker', () => {
  const lab = crashLab();
  let nginx: ReturnType<typeof spawn> | undefined;
  afterAll(() => {
    nginx?.kill('SIGTERM');
    lab.cleanUp();
  });

  it('round-robins signed webhooks to both web processes; every one is stored once and processed', async () => {
    const database = await freshPostgresEnv();
    try {
      const env = {
        ...database.env,
        SWITCHBOARD_API_KEY: KEY,
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: 'nginx-verify',
        WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
        SWITCHBOARD_TRUST_PROXY: 'loopback',
      };
      const webs = [
        await lab.boot(lab.dataDir(), { ...env, SWITCHBOARD_ROLE: 'web' }),
        await lab.boot(lab.dataDir(), { ...env, SWITCHBOARD_ROLE: 'web' }),
      ];
      await lab.boot(lab.dataDir(), { ...env, SWITCHBOARD_ROLE: 'worker' });
      const port = await freePort();
      const dir = tempDir('sb-nginx-');
      const conf = nginxConfig(
        dir,
        webs.map((w) => new URL(w.base).host),
        port,
      );
      nginx = spawn(NGINX!, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
      const front = `http://127.0.0.1:${port}`;
      await waitFor(
        async () => ((await fetch(`${front}/readyz`).catch(() => null))?.ok ? true : undefined),
        40_000,
      );

      const total = 120;
      const answers = await Promise.all(
        Array.from({ length: total }, async (_, i) => {
          const waId = `346100${String(i % 12).padStart(5, '0')}`;
          const body = metaBytes(
            inbound(waId, `wamid.nginx.${i}`, '2026-03-01T10:00:00.000Z', {
              type: 'text',
              text: { body: `mensaje ${i}` },
            }),
          );
          const res = await fetch(`${front}/webhooks/whatsapp`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-hub-signature-256': signBody(body, APP_SECRET),
            },
            body,
          });
          return res.status;
        }),
      );
      expect(answers.every((s) => s === 200)).toBe(true);
      const served = await Promise.all(webs.map((w) => webhooksServed(w.base)));
      expect(served[0]! + served[1]!).toBe(total);
      // Round robin: both took a fair share.
      expect(Math.min(...served)).toBeGreaterThanOrEqual(total / 4);

      // The same webhook again, through either web process: acknowledged, stored once.
      const again = metaBytes(
        inbound('34610000000', 'wamid.nginx.0', '2026-03-01T10:00:00.000Z', {
          type: 'text',
          text: { body: 'mensaje 0' },
        }),
      );
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${front}/webhooks/whatsapp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(again, APP_SECRET) },
          body: again,
        });
        expect(res.status).toBe(200);
      }
      // The worker processes every event exactly once.
      const events = await waitFor(async () => {
        const res = await fetch(`${front}/api/events?type=message.received&limit=500`, {
          headers: { authorization: `Bearer ${KEY}` },
        });
        const items = ((await res.json()) as { items: Array<{ status: string }> }).items;
        return items.length === total && items.every((e) => e.status === 'processed') ? items : undefined;
      }, 40_000);
      expect(events).toHaveLength(total);
    } finally {
      await lab.killAll(); // their connections hold locks in the schema
      await database.drop();
    }
  }, 120_000);
});
