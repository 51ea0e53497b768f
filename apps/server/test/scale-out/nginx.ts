import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir, waitFor } from '../process-helpers.js';

// deploy/nginx/switchboard.conf run by Debian's nginx, as nginx.test.ts does: only the upstream
// addresses and the listen port are rewritten, so the test exercises the file users deploy.

const CONF = new URL('../../../../deploy/nginx/switchboard.conf', import.meta.url);

export const NGINX_BIN = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

export const freePort = () =>
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
events { worker_connections 4096; }
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

/** nginx in front of `upstreams` (host:port) on a free loopback port; resolves once /readyz answers. */
export async function startNginx(upstreams: string[]): Promise<{ url: string; proc: ChildProcess }> {
  if (!NGINX_BIN) throw new Error('nginx is not installed (apt-get install nginx)');
  const port = await freePort();
  const dir = tempDir('sb-scale-nginx-');
  const conf = nginxConfig(dir, upstreams, port);
  const proc = spawn(NGINX_BIN, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => ((await fetch(`${url}/readyz`).catch(() => null))?.ok ? true : undefined),
    40_000,
  );
  return { url, proc };
}
