# syntax=docker/dockerfile:1
# Switchboard in one image: the server (API, webhook ingress, workers) and the editor's static build.
#   docker build -t switchboard .
#   docker run -p 3000:3000 -v switchboard-data:/data switchboard          # embedded SQLite in /data
# Scale-out (web ×N behind nginx, worker ×N, Postgres, Redis): docker-compose.yml and docs/deploy.md.
# apps/server/test/docker-files.test.ts checks that the paths and scripts used here exist.

# ---- build: install the dependencies, compile the packages and the editor
FROM node:20-bookworm-slim AS build
# better-sqlite3 and isolated-vm are native modules: when no prebuilt binary fits, node-gyp compiles them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# turbo runs each package's build through the `pnpm` binary, which the root devDependencies put here.
ENV PATH=/app/node_modules/.bin:$PATH CI=1 TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

# Manifests first: the install layer is reused until a manifest or the lockfile changes. Every workspace
# package (pnpm-workspace.yaml) must be listed, or --frozen-lockfile refuses the lockfile.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY apps/server/package.json apps/server/
COPY apps/editor/package.json apps/editor/
COPY packages/db/package.json packages/db/
COPY packages/engine/package.json packages/engine/
COPY packages/flow-schema/package.json packages/flow-schema/
COPY packages/nodes/package.json packages/nodes/
COPY packages/queue/package.json packages/queue/
COPY packages/sandbox/package.json packages/sandbox/
COPY packages/whatsapp/package.json packages/whatsapp/
COPY workflows/package.json workflows/
COPY e2e/package.json e2e/
# The same pnpm as package.json's packageManager (what `npm start` uses through npx).
RUN npx -y pnpm@12.4.2 install --frozen-lockfile --reporter=append-only

COPY . .
# What `npm start` builds (scripts/sb.mjs): every package, the server and the editor's static files.
RUN turbo run build --output-logs=errors-only
# Production dependencies only (≈170 MB of node_modules instead of ≈445 MB): every node_modules directory
# goes, then pnpm links the production set again from its store (offline: the store is in this stage, the
# native modules' builds with it).
RUN find . -name node_modules -type d -prune -exec rm -rf {} + \
 && npx -y pnpm@12.4.2 install --frozen-lockfile --prod --offline --reporter=append-only

# ---- runtime: the built files and their dependencies, owned by root and run by `node`
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# HOST: listen on the container's interface (the server's default is loopback only).
# SWITCHBOARD_DATA_DIR: the embedded mode's SQLite database, API key and secret key (a volume).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    SWITCHBOARD_DATA_DIR=/data
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/apps/server ./apps/server
COPY --from=build /app/apps/editor/dist ./apps/editor/dist
# The example flows imported on a first start (SWITCHBOARD_SEED_EXAMPLES).
COPY --from=build /app/workflows ./workflows
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# Ready: the database answers and, in a worker or `all` process, the scheduler runs. start-period covers
# the migrations applied at start.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server stops in order on SIGTERM (docker stop); no shell in between, so the signal reaches it.
CMD ["node", "apps/server/bin/switchboard.mjs", "start"]
