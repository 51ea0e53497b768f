import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

// Keeps Dockerfile, .dockerignore, docker-compose.yml, deploy/docker.env.example and
// deploy/nginx/compose.conf honest without a Docker daemon: what they set is what the server reads,
// what they copy and run exists, and the compose nginx proxies like the tested switchboard.conf.

const ROOT = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const exists = (path: string) => existsSync(new URL(path, ROOT));

type Yaml = string | null | Yaml[] | { [key: string]: Yaml };
type Map = { [key: string]: Yaml };

/**
 * Block YAML as docker-compose.yml uses it: mappings, sequences of scalars, quoted and flow-sequence
 * scalars, whole-line comments. Anything else throws, so the file stays readable here.
 */
function parseYaml(text: string): Yaml {
  const lines = text
    .split('\n')
    .map((raw, i) => ({ n: i + 1, indent: raw.search(/\S/), body: raw.trim() }))
    .filter((l) => l.body !== '' && !l.body.startsWith('#'));
  const scalar = (s: string): Yaml => (/^["[]/.test(s) ? JSON.parse(s) : s);
  const block = (at: number, indent: number): [Yaml, number] => {
    const isList = lines[at]?.body.startsWith('- ');
    const out: Yaml[] | Map = isList ? [] : {};
    let i = at;
    while (i < lines.length && (lines[i]?.indent ?? 0) >= indent) {
      const line = lines[i]!;
      if (line.indent !== indent) throw new Error(`line ${line.n}: unexpected indentation`);
      if (Array.isArray(out)) {
        if (!line.body.startsWith('- ')) throw new Error(`line ${line.n}: expected "- item"`);
        out.push(scalar(line.body.slice(2).trim()));
        i += 1;
        continue;
      }
      const m = /^([A-Za-z0-9_.-]+):(?:\s+(.+))?$/.exec(line.body);
      if (!m) throw new Error(`line ${line.n}: not "key: value": ${line.body}`);
      const next = lines[i + 1];
      if (m[2] !== undefined) [out[m[1]!], i] = [scalar(m[2]), i + 1];
      else if (next && next.indent > indent) [out[m[1]!], i] = block(i + 1, next.indent);
      else [out[m[1]!], i] = [null, i + 1];
    }
    return [out, i];
  };
  return block(0, 0)[0];
}

const asMap = (v: Yaml | undefined): Map => {
  if (v === null || v === undefined || typeof v === 'string' || Array.isArray(v))
    throw new Error('not a map');
  return v;
};

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}` (which refuses an unset or empty VAR). */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g,
    (_, name: string, op?: string, arg?: string) => {
      const v = vars[name] ?? '';
      if (v !== '') return v;
      if (op === '?') throw new Error(`${name}: ${arg}`);
      return op === '-' ? (arg ?? '') : '';
    },
  );
}

/** `KEY=value` lines of an env file; `# KEY=value` lines count as mentioned but not set. */
function envFile(text: string) {
  const set: Record<string, string> = {};
  const mentioned: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    mentioned.push(m[2]!);
    if (!m[1]) set[m[2]!] = m[3]!;
  }
  return { set, mentioned };
}

/** Dockerfile instructions (continuations joined, comments dropped) with the stage each belongs to. */
function dockerfile(text: string) {
  const instructions: { stage: string; op: string; args: string }[] = [];
  let stage = '';
  // Docker drops comment lines first (also inside a continued instruction), then joins continuations.
  const lines = text
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n');
  for (const line of lines) {
    const m = /^([A-Z]+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === 'FROM') stage = /\bAS\s+(\S+)/i.exec(m[2]!)?.[1] ?? m[2]!;
    instructions.push({ stage, op: m[1]!, args: m[2]!.trim() });
  }
  return instructions;
}

/** Every environment variable config.ts reads (the keys of its zod `Env` object). */
function configVariables(): Set<string> {
  const source = read('apps/server/src/config.ts');
  const body = source.slice(source.indexOf('const Env = z.object({'), source.indexOf('\n});'));
  return new Set([...body.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!));
}

const known = configVariables();
const compose = asMap(parseYaml(read('docker-compose.yml')));
const services = asMap(compose.services);
const example = envFile(read('deploy/docker.env.example'));
const steps = dockerfile(read('Dockerfile'));
const runtimeEnv = Object.fromEntries(
  steps
    .filter((s) => s.stage === 'runtime' && s.op === 'ENV')
    .flatMap((s) => [...s.args.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
);
/** Variables compose uses only for its own interpolation (the Postgres service's password). */
const COMPOSE_ONLY = new Set(['POSTGRES_PASSWORD']);
const SECRETS = {
  POSTGRES_PASSWORD: 'pgpassword0123',
  SWITCHBOARD_API_KEY: 'docker-test-key-0123456789',
  SWITCHBOARD_ENCRYPTION_KEY: 'ab'.repeat(32),
};

/** What a web or worker container's process sees: image ENV, then env_file, then `environment`. */
function containerEnv(name: string, dotEnv: Record<string, string>): Record<string, string> {
  const service = asMap(services[name]);
  expect(service.env_file).toBe('.env');
  const environment = Object.entries(asMap(service.environment)).map(([k, v]) => [
    k,
    interpolate(String(v), dotEnv),
  ]);
  return { ...runtimeEnv, ...dotEnv, ...Object.fromEntries(environment) };
}

describe('docker-compose.yml', () => {
  it('sets only variables the server reads, and the env example mentions no others', () => {
    expect(known.size).toBeGreaterThan(30);
    for (const name of ['web', 'worker']) {
      const unknown = Object.keys(asMap(asMap(services[name]).environment)).filter((k) => !known.has(k));
      expect(unknown, name).toEqual([]);
    }
    expect(example.mentioned.filter((k) => !known.has(k) && !COMPOSE_ONLY.has(k))).toEqual([]);
    expect(Object.keys(runtimeEnv).filter((k) => !known.has(k) && k !== 'NODE_ENV')).toEqual([]);
  });

  it('starts valid web and worker processes on the Postgres and Redis services it runs', () => {
    const dotEnv = { ...example.set, ...SECRETS };
    const postgres = asMap(asMap(services.postgres).environment);
    for (const [name, role] of [
      ['web', 'web'],
      ['worker', 'worker'],
    ] as const) {
      const config = loadConfig(containerEnv(name, dotEnv));
      expect(config).toMatchObject({ role, host: '0.0.0.0', apiKey: SECRETS.SWITCHBOARD_API_KEY });
      expect(config.encryptionKey).toBe(SECRETS.SWITCHBOARD_ENCRYPTION_KEY);
      const db = new URL(config.database.kind === 'postgres' ? config.database.url : 'sqlite:');
      expect([db.hostname, db.username, db.password, db.pathname]).toEqual([
        'postgres',
        postgres.POSTGRES_USER,
        SECRETS.POSTGRES_PASSWORD,
        `/${postgres.POSTGRES_DB}`,
      ]);
      expect(new URL(config.redisUrl ?? '').hostname).toBe('redis');
      // Only nginx is published: a worker must not take load-balanced traffic, nor a web bypass nginx.
      expect(asMap(services[name]).ports, name).toBeUndefined();
      expect(asMap(asMap(services[name]).depends_on)).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
  });

  it('refuses to start while .env lacks a shared secret, and the example ships none', () => {
    for (const key of Object.keys(SECRETS)) expect(example.set[key], key).toBe('');
    for (const secret of Object.keys(example.set).filter((k) => /PASSWORD|_KEY|TOKEN|SECRET/.test(k)))
      expect(example.set[secret], secret).toBe('');
    for (const name of ['web', 'worker'])
      for (const missing of Object.keys(SECRETS)) {
        const dotEnv = { ...example.set, ...SECRETS, [missing]: '' };
        expect(() => containerEnv(name, dotEnv), `${name} without ${missing}`).toThrow(missing);
      }
  });

  it('keeps Postgres and Redis on named volumes with health checks', () => {
    const volumes = Object.keys(asMap(compose.volumes));
    for (const name of ['postgres', 'redis']) {
      const service = asMap(services[name]);
      expect(asMap(service.healthcheck).test, name).toBeInstanceOf(Array);
      const mounted = (service.volumes as string[]).map((v) => v.split(':')[0]);
      expect(
        mounted.every((v) => volumes.includes(v ?? '')),
        name,
      ).toBe(true);
    }
  });
});

describe('nginx in docker-compose.yml', () => {
  const nginx = asMap(services.nginx);
  const mount = (nginx.volumes as string[]).find((v) => v.includes('/etc/nginx/'))?.split(':') ?? [];
  const conf = read(mount[0] ?? 'missing');
  const directives = (text: string, block: RegExp) =>
    (block.exec(text)?.[0] ?? '')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean);

  it('mounts an nginx conf that exists, on the port it publishes', () => {
    expect(mount[0]?.startsWith('./deploy/nginx/')).toBe(true);
    const listen = /listen (\d+);/.exec(conf)?.[1];
    expect(nginx.ports).toEqual([`8080:${listen}`]);
  });

  it('proxies exactly as the tested switchboard.conf does', () => {
    const server = /^server \{[\s\S]*^\}/m;
    expect(directives(conf, server).length).toBeGreaterThan(10);
    expect(directives(conf, server)).toEqual(directives(read('deploy/nginx/switchboard.conf'), server));
  });

  it('sends to every replica of the web service, on the port the image listens on', () => {
    const upstream = directives(conf, /^upstream switchboard_web \{[\s\S]*?^\}/m);
    expect(upstream.filter((d) => d.startsWith('server '))).toEqual([
      `server web:${runtimeEnv.PORT} resolve max_fails=1 fail_timeout=2s;`,
    ]);
    expect(conf).toMatch(/^resolver 127\.0\.0\.11\b/m);
  });
});

describe('Dockerfile', () => {
  const args = (op: string, stage?: string) =>
    steps.filter((s) => s.op === op && (!stage || s.stage === stage)).map((s) => s.args);

  it('copies files that exist, including every workspace package manifest before installing', () => {
    const copied = args('COPY')
      .filter((a) => !a.startsWith('--from'))
      .flatMap((a) => a.split(/\s+/).slice(0, -1));
    for (const source of copied) expect(exists(source), source).toBe(true);
    // pnpm-workspace.yaml: apps/*, packages/*, workflows, e2e. A manifest left out makes
    // --frozen-lockfile refuse the lockfile.
    const workspace = ['apps', 'packages']
      .flatMap((dir) => readdirSync(new URL(dir, ROOT)).map((p) => `${dir}/${p}/package.json`))
      .filter(exists);
    expect(workspace.length).toBeGreaterThan(8);
    expect(copied).toEqual(
      expect.arrayContaining([...workspace, 'workflows/package.json', 'e2e/package.json']),
    );
    // The runtime stage takes repository paths or what install and build produced.
    for (const a of args('COPY', 'runtime').filter((x) => x.startsWith('--from=build'))) {
      const path = a.split(/\s+/)[1]!.replace(/^\/app\//, '');
      expect(exists(path) || ['node_modules', 'apps/editor/dist'].includes(path), path).toBe(true);
    }
  });

  it('installs with the pinned pnpm, builds with turbo, and starts the server on its port', () => {
    const pnpm = JSON.parse(read('package.json')).packageManager.split('@')[1];
    expect(args('RUN').find((r) => r.includes('install --frozen-lockfile'))).toContain(`pnpm@${pnpm}`);
    expect(args('RUN')).toContain('turbo run build --output-logs=errors-only');
    expect(args('CMD', 'runtime')).toEqual(['["node", "apps/server/bin/switchboard.mjs", "start"]']);
    expect(exists('apps/server/bin/switchboard.mjs')).toBe(true);
    expect(args('EXPOSE', 'runtime')).toEqual([runtimeEnv.PORT]);
    expect(args('USER', 'runtime')).toEqual(['node']);
    expect(runtimeEnv.SWITCHBOARD_DATA_DIR).toBe('/data');
    expect(args('VOLUME', 'runtime')).toEqual(['/data']);
  });

  it('checks health on a route the server has', () => {
    const route = /127\.0\.0\.1:' \+ [^+]+\+ '(\/[a-z]+)'/.exec(args('HEALTHCHECK').join(''))?.[1];
    expect(route).toBe('/readyz');
    expect(read('apps/server/src/routes/system.ts')).toContain(`path: '${route}'`);
  });

  it('leaves dependencies, builds, git and secrets out of the build context, but not what it copies', () => {
    // A .dockerignore line as a regex over context paths: "**/" any directories, "*" within one.
    const toRegex = (pattern: string) => {
      const escaped = pattern.replace(/[.+?^$()|[\]{}]/g, '\\$&');
      const glob = escaped.split('**/').map((part) => part.replaceAll('*', '[^/]*'));
      return new RegExp(`^${glob.join('(?:.*/)?')}(?:/|$)`);
    };
    const patterns = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map(toRegex);
    const ignored = (path: string) => patterns.some((re) => re.test(path));
    for (const path of [
      'node_modules',
      'apps/server/node_modules',
      'packages/db/dist',
      '.git',
      '.env',
      'data',
    ])
      expect(ignored(path), path).toBe(true);
    const copied = args('COPY')
      .filter((a) => !a.startsWith('--from'))
      .flatMap((a) => a.split(/\s+/).slice(0, -1))
      .filter((p) => p !== '.');
    expect(copied.filter(ignored)).toEqual([]);
    expect(ignored('apps/server/src/index.ts')).toBe(false);
  });
});
