import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { closeDb, FlowRepository, openDb } from '@switchboard/db';
import { createRegistry } from '@switchboard/nodes';
import { ConfigError, loadConfig } from './config.js';
import { FlowService } from './flow-service.js';
import { runOnce } from './run-once.js';
import { startServer } from './server.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, notFound: 3, config: 4, waiting: 5 } as const;

const HELP = `Usage: switchboard <command> [options]

Commands:
  start                          start the server (PORT, SWITCHBOARD_DATA_DIR, SWITCHBOARD_API_KEY…)
  validate <flow.json> [--json]  check a flow; lists every problem by JSON path
  import <flow.json> [--activate]
                                 store a flow (or a new version of it) in the data dir
  export <id> [--version N]      print a stored flow as portable JSON
  run <flow.json> [--event <payload.json>] [--json]
                                 run a flow once in memory and print the step trace;
                                 delays are fast-forwarded

Exit codes: 0 ok, 1 invalid flow or failed run, 2 usage error, 3 not found,
            4 bad configuration, 5 run left waiting for an event`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        await startServer();
        return EXIT.ok;
      case 'validate':
        return validate(rest);
      case 'import':
        return importFlow(rest);
      case 'export':
        return exportFlow(rest);
      case 'run':
        return await runOnce(rest, readJsonFile);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(HELP);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`switchboard: ${error.message}\n\n${HELP}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      console.error(`switchboard: ${error.message}`);
      return EXIT.config;
    }
    throw error;
  }
}

function validate(args: string[]): number {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  const file = one(positionals, 'validate needs a flow file');
  const result = localService().validate(readJsonFile(file));
  if (values.json) console.log(JSON.stringify({ ok: result.ok, problems: result.problems }, null, 2));
  else printProblems(file, result.problems, result.ok);
  return result.ok ? EXIT.ok : EXIT.invalid;
}

function importFlow(args: string[]): number {
  const { values, positionals } = parse(args, { activate: { type: 'boolean' } });
  const file = one(positionals, 'import needs a flow file');
  const service = localService(true);
  try {
    const doc = readJsonFile(file);
    const id = (doc as { id?: unknown })?.id;
    const result =
      typeof id === 'string' && service.repo.get(id) ? service.update(id, doc) : service.create(doc);
    if (!result.ok) {
      if ('problems' in result) printProblems(file, result.problems, false);
      return EXIT.invalid;
    }
    if (values.activate) service.repo.setActive(result.flow.id, true);
    const what = result.created ? 'imported' : result.changed ? 'saved as a new version' : 'unchanged';
    console.log(
      `${result.flow.id}: ${what} (version ${result.flow.version}${values.activate ? ', active' : ''})`,
    );
    for (const w of result.warnings) console.log(`  warning ${w.path}: ${w.message}`);
    return EXIT.ok;
  } finally {
    service.close();
  }
}

function exportFlow(args: string[]): number {
  const { values, positionals } = parse(args, { version: { type: 'string' } });
  const id = one(positionals, 'export needs a flow id');
  const service = localService(true);
  try {
    const version = values.version === undefined ? service.repo.get(id)?.version : Number(values.version);
    if (version !== undefined && !Number.isInteger(version))
      throw new UsageError('--version must be a whole number');
    const doc = version === undefined ? undefined : service.repo.getVersion(id, version);
    if (!doc) {
      console.error(
        `switchboard: no flow "${id}"${values.version ? ` version ${values.version}` : ''} in ${loadConfig().dataDir}`,
      );
      return EXIT.notFound;
    }
    console.log(JSON.stringify(doc, null, 2));
    return EXIT.ok;
  } finally {
    service.close();
  }
}

/** A flow service over the data dir's database (or none, for validation only). */
function localService(withDb = false): FlowService & { close(): void } {
  const registry = createRegistry();
  if (!withDb) {
    const service = new FlowService(undefined as never, registry);
    return Object.assign(service, { close() {} });
  }
  const config = loadConfig();
  const db = openDb({ path: config.dbPath, synchronous: config.sqliteSynchronous });
  return Object.assign(new FlowService(new FlowRepository(db), registry), { close: () => closeDb(db) });
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function printProblems(
  file: string,
  problems: Array<{ path: string; message: string; severity: string }>,
  ok: boolean,
) {
  for (const p of problems) console.log(`${file}: ${p.severity} ${p.path}: ${p.message}`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  console.log(
    ok
      ? `${file}: valid${problems.length ? ` (${problems.length} warning(s))` : ''}`
      : `${file}: ${errors} error(s)`,
  );
}

function parse<T extends Record<string, { type: 'boolean' | 'string' }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function one(positionals: string[], message: string): string {
  if (positionals.length !== 1) throw new UsageError(message);
  return positionals[0]!;
}

export { UsageError };
