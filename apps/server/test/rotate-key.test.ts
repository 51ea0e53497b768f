import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, startRecorder } from './fakes/recorder.js';
import { cli, crashLab, type ServerProcess, startServerProcess, waitFor } from './process-helpers.js';
import { flowDoc, type Loose } from './wa-helpers.js';

// `switchboard rotate-key` on real processes: the server stopped, the CLI re-encrypts, the server starts
// again with the new key (and the stored credential still works), and refuses the old key clearly.

const TOKEN = 'tok-SECRET-rotate-0123456789';
const lab = crashLab();
let fake: FakeServer;
const ALLOW = { SWITCHBOARD_HTTP_ALLOWLIST: '127.0.0.1' };

beforeAll(async () => {
  fake = await startRecorder((req) => ({ status: 200, json: { path: req.path } }));
});
afterAll(async () => {
  lab.cleanUp();
  await fake?.close();
});

const flow = flowDoc(
  'call-api',
  [
    {
      id: 'call',
      type: 'http.request',
      params: { method: 'POST', url: '/orders', body: { id: 1 }, credential: 'api' },
    },
  ],
  ['start->call'],
);

/** Stores the credential and the flow that uses it. */
async function setUp(server: ServerProcess) {
  const stored = await server.api('/api/credentials', {
    method: 'POST',
    body: JSON.stringify({ name: 'api', type: 'httpBearer', data: { token: TOKEN, baseUrl: fake.url } }),
  });
  expect(stored.status).toBe(201);
  expect((await server.api('/api/flows', { method: 'POST', body: JSON.stringify(flow) })).status).toBe(201);
}

/** Runs the flow; true when its request reached the fake with the stored token. */
async function credentialWorks(server: ServerProcess): Promise<boolean> {
  const before = fake.requests.length;
  const started = (await (
    await server.api('/api/flows/call-api/runs', { method: 'POST', body: '{}' })
  ).json()) as Loose;
  const run = await waitFor(async () => {
    const r = (await (await server.api(`/api/executions/${started.runId}`)).json()) as Loose;
    return ['succeeded', 'failed'].includes(r.status) ? r : undefined;
  });
  const step = (run.steps as Loose[]).find((x) => x.nodeId === 'call');
  return (
    run.status === 'succeeded' &&
    step.ports[0] === 'out' &&
    fake.requests.length === before + 1 &&
    fake.requests.at(-1)!.headers.authorization === `Bearer ${TOKEN}`
  );
}

async function stop(server: ServerProcess) {
  server.proc.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
}

/** A start that must fail: its exit code and what it printed. */
async function refusedStart(dataDir: string, env: Record<string, string>): Promise<string> {
  let message = '';
  try {
    const server = await startServerProcess(dataDir, {
      SWITCHBOARD_SEED_EXAMPLES: 'false',
      SWITCHBOARD_API_KEY: 'test-key-0123456789abcdef',
      ...env,
    });
    server.proc.kill('SIGKILL');
  } catch (error) {
    message = (error as Error).message;
  }
  return message;
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe('switchboard rotate-key', () => {
  it('key file: re-encrypts with a generated key, keeps the old file, and the server needs the new key', async () => {
    const dataDir = lab.dataDir();
    const env = { SWITCHBOARD_DATA_DIR: dataDir };
    const keyFile = join(dataDir, 'secret.key');
    const first = await lab.boot(dataDir, ALLOW);
    await setUp(first);
    expect(await credentialWorks(first)).toBe(true);

    // Not while the server runs.
    const busy = cli(['rotate-key'], env);
    expect(busy.code).toBe(6);
    expect(busy.stderr).toMatch(
      /another Switchboard \(pid \d+\) is using .*; rotate-key needs the server stopped/,
    );
    await stop(first);

    const oldKey = readFileSync(keyFile, 'utf8');
    const rotated = cli(['rotate-key'], env);
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('re-encrypted 2 channel(s) and 1 credential(s) with the new key');
    const newKey = readFileSync(keyFile, 'utf8');
    expect(newKey).not.toBe(oldKey);
    expect(mode(keyFile)).toBe(0o600);
    const kept = readdirSync(dataDir).filter((f) => f.startsWith('secret.key.old-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dataDir, kept[0]!), 'utf8')).toBe(oldKey);
    expect(mode(join(dataDir, kept[0]!))).toBe(0o600);
    expect(rotated.stdout).toContain(kept[0]);
    expect(readdirSync(dataDir)).not.toContain('secret.key.new');

    // The server starts with the new key, and the credential still works.
    const second = await lab.boot(dataDir, ALLOW);
    expect(await credentialWorks(second)).toBe(true);
    const audit = (await (await second.api('/api/audit?action=vault.key_rotated')).json()) as Loose;
    expect(audit.items[0]).toMatchObject({
      actor: { kind: 'system', label: 'cli (rotate-key)' },
      data: { channels: 2, credentials: 1, keySource: 'file' },
    });
    await stop(second);

    // With the old key it refuses to start, saying why.
    writeFileSync(keyFile, oldKey, { mode: 0o600 });
    const refused = await refusedStart(dataDir, ALLOW);
    expect(refused).toMatch(/server exited \(4\) before listening/);
    expect(refused).toContain(
      `the encryption key (${keyFile}) cannot decrypt the stored secrets of channel "default": they were sealed with another key`,
    );
    writeFileSync(keyFile, newKey, { mode: 0o600 });
  });

  it('SWITCHBOARD_ENCRYPTION_KEY: needs --new-key, then the server needs the new key in the variable', async () => {
    const dataDir = lab.dataDir();
    const oldKey = randomBytes(32).toString('hex');
    const newKey = randomBytes(32).toString('base64');
    const first = await lab.boot(dataDir, { ...ALLOW, SWITCHBOARD_ENCRYPTION_KEY: oldKey });
    await setUp(first);
    expect(await credentialWorks(first)).toBe(true);
    await stop(first);

    const env = { SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_ENCRYPTION_KEY: oldKey };
    const missing = cli(['rotate-key'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('SWITCHBOARD_ENCRYPTION_KEY is set: give the new key with --new-key');
    expect(cli(['rotate-key', '--new-key', 'short'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--new-key: a key must be 32 bytes'),
    });
    expect(cli(['rotate-key', '--new-key', oldKey], env).stderr).toContain('is the key in use');

    const rotated = cli(['rotate-key', '--new-key', newKey], env);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('re-encrypted 2 channel(s) and 1 credential(s) with the new key');
    expect(rotated.stdout).toContain(
      'SWITCHBOARD_ENCRYPTION_KEY still holds the old key: set it to the new key',
    );
    expect(rotated.stdout).not.toContain(newKey);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('secret.key'))).toEqual([]);

    const refused = await refusedStart(dataDir, { ...ALLOW, SWITCHBOARD_ENCRYPTION_KEY: oldKey });
    expect(refused).toContain(
      'the encryption key (SWITCHBOARD_ENCRYPTION_KEY) cannot decrypt the stored secrets of channel "default"',
    );
    const second = await lab.boot(dataDir, { ...ALLOW, SWITCHBOARD_ENCRYPTION_KEY: newKey });
    expect(await credentialWorks(second)).toBe(true);
    await stop(second);
  });

  it('refuses a data dir with no key, and a key that does not open the secrets (changing nothing)', async () => {
    const empty = lab.dataDir();
    expect(cli(['rotate-key'], { SWITCHBOARD_DATA_DIR: empty })).toMatchObject({
      code: 4,
      stderr: expect.stringContaining('there is no key in'),
    });
    const dataDir = lab.dataDir();
    await stop(await lab.boot(dataDir));
    const keyFile = join(dataDir, 'secret.key');
    const right = readFileSync(keyFile, 'utf8');
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const wrong = cli(['rotate-key'], { SWITCHBOARD_DATA_DIR: dataDir });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('cannot be decrypted with the current key');
    expect(wrong.stderr).toContain('nothing was changed');
    expect(readdirSync(dataDir).filter((f) => f.startsWith('secret.key'))).toEqual(['secret.key']);
    writeFileSync(keyFile, right, { mode: 0o600 });
    expect(cli(['rotate-key'], { SWITCHBOARD_DATA_DIR: dataDir }).code).toBe(0);

    // A rotation that committed but stopped before swapping the files: the start says so, and running
    // the command again finishes it.
    const old = readdirSync(dataDir).find((f) => f.startsWith('secret.key.old-'))!;
    renameSync(keyFile, join(dataDir, 'secret.key.new'));
    renameSync(join(dataDir, old), keyFile);
    const refused = await refusedStart(dataDir, {});
    expect(refused).toContain('secret.key.new exists, so a key rotation was interrupted');
    const resumed = cli(['rotate-key'], { SWITCHBOARD_DATA_DIR: dataDir });
    expect(resumed).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('finished an interrupted key rotation'),
    });
    await stop(await lab.boot(dataDir));
  });
});
