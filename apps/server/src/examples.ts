import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowService } from './flow-service.js';
import type { AppLogger } from './logger.js';

/** `workflows/` at the repository root, seen from `apps/server/{src,dist}`. */
export const DEFAULT_EXAMPLES_DIR = fileURLToPath(new URL('../../../workflows', import.meta.url));

/** On a first start (no flows yet), imports the example flows so there is something to try. */
export function seedExamples(flows: FlowService, dir: string, logger: AppLogger): number {
  if (flows.repo.list().length > 0 || !existsSync(dir)) return 0;
  let imported = 0;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.workflow.json'))
    .sort()) {
    const result = flows.create(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (result.ok) imported++;
    else logger.warn({ file, result }, 'example flow not imported');
  }
  logger.info({ imported, dir }, 'example flows imported');
  return imported;
}
