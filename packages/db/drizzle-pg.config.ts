import { defineConfig } from 'drizzle-kit';

// The Postgres (scale-out) run tables: `pnpm --filter @switchboard/db db:generate:pg`. Generating
// needs no database; `migratePg` applies the folder at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/pg/schema.ts',
  out: './migrations-pg',
});
