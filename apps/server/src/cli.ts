import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { closeDb, type Database, openDb, sqliteDatabase } from '@switchboard/db';
import { createRegistry } from '@switchboard/nodes';
import { SIMULATOR_CHANNEL } from './channels.js';
import { ConfigError, loadConfig } from './config.js';
import { FlowService } from './flow-service.js';
import { LockError } from './process-lock.js';
import { RotateKeyError, rotateKey } from './rotate-key.js';
import { runOnce } from './run-once.js';
import { startServer } from './server.js';
import { VaultKeyError } from './vault.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, notFound: 3, config: 4, waiting: 5, locked: 6 } as const;

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
  rotate-key [--new-key <hex|base64>]
                                 with the server stopped: re-encrypt every stored secret
                                 with a new key (generated into the key file, or given)

Exit codes: 0 ok, 1 invalid flow or failed run, 2 usage error, 3 not found,
            4 bad configuration (or an encryption key that does not open the stored
            secrets), 5 run left waiting for an event, 6 the data dir is in use`;

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
        return await importFlow(rest);
      case 'export':
        return await exportFlow(rest);
      case 'run':
        return await runOnce(rest, readJsonFile);
      case 'rotate-key':
        return rotateKeyCommand(rest);
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
    if (error instanceof ConfigError || error instanceof VaultKeyError) {
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

async function importFlow(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { activate: { type: 'boolean' } });
  const file = one(positionals, 'import needs a flow file');
  const service = localService(true);
  try {
    const doc = readJsonFile(file);
    const id = (doc as { id?: unknown })?.id;
    const result =
      typeof id === 'string' && (await service.repo.get(id))
        ? await service.update(id, doc)
        : await service.create(doc);
    if (!result.ok) {
      if ('problems' in result) printProblems(file, result.problems, false);
      return EXIT.invalid;
    }
    const wasActive = (await service.repo.get(result.flow.id))?.active ?? false;
    if (values.activate) await service.setActive(result.flow.id, true);
    // Audit: the CLI acts as the system (it has no signed-in principal).
    const audit = service.database!.repos.audit;
    const record = (action: string) =>
      audit.insert({
        at: new Date().toISOString(),
        actorKind: 'system',
        actorId: null,
        actorLabel: 'cli (import)',
        action,
        targetKind: 'flow',
        targetId: result.flow.id,
        ip: null,
        data: { name: result.flow.name, version: result.flow.version, file },
      });
    if (result.created || result.changed) await record('flow.imported');
    if (values.activate && !wasActive) await record('flow.activated');
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

async function exportFlow(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { version: { type: 'string' } });
  const id = one(positionals, 'export needs a flow id');
  const service = localService(true);
  try {
    const version =
      values.version === undefined ? (await service.repo.get(id))?.version : Number(values.version);
    if (version !== undefined && !Number.isInteger(version))
      throw new UsageError('--version must be a whole number');
    const doc = version === undefined ? undefined : await service.repo.getVersion(id, version);
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
function localService(withDb = false): FlowService & { close(): void; database?: Database } {
  const registry = createRegistry();
  if (!withDb) {
    const service = new FlowService(undefined as never, registry);
    return Object.assign(service, { close() {} });
  }
  const config = loadConfig();
  const db = openDb({ path: config.dbPath, synchronous: config.sqliteSynchronous });
  const database = sqliteDatabase(db, { simulatorChannel: SIMULATOR_CHANNEL });
  return Object.assign(new FlowService(database.repos.flows, registry), {
    close: () => closeDb(db),
    database,
  });
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

function rotateKeyCommand(args: string[]): number {
  const { values, positionals } = parse(args, { 'new-key': { type: 'string' } });
  if (positionals.length > 0) throw new UsageError('rotate-key takes no arguments (only --new-key)');
  const config = loadConfig();
  try {
    const result = rotateKey(config, {
      ...(values['new-key'] !== undefined ? { newKey: values['new-key'] } : {}),
    });
    if (result.resumed) {
      console.log(
        `finished an interrupted key rotation: ${config.dataDir}/secret.key now holds the new key; the old one is kept as ${result.oldKeyFile}`,
      );
      return EXIT.ok;
    }
    const { channels, credentials } = result.counts;
    console.log(`re-encrypted ${channels} channel(s) and ${credentials} credential(s) with the new key`);
    if (result.keySource === 'env') {
      console.log(
        'SWITCHBOARD_ENCRYPTION_KEY still holds the old key: set it to the new key (the one given with --new-key) wherever the server gets its environment, then start the server. The old key no longer opens the stored secrets.',
      );
    } else {
      console.log(
        `the new key is in ${config.dataDir}/secret.key; the old key is kept as ${result.oldKeyFile} (mode 0600): delete it once the server has started with the new key`,
      );
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RotateKeyError) {
      console.error(`switchboard: ${error.message}`);
      return error.message.startsWith('SWITCHBOARD_ENCRYPTION_KEY is set') ||
        error.message.startsWith('--new-key')
        ? EXIT.usage
        : EXIT.config;
    }
    if (error instanceof LockError) {
      console.error(`switchboard: ${error.message}; rotate-key needs the server stopped`);
      return EXIT.locked;
    }
    throw error;
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
