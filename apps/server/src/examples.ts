import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AsyncOf, TeamRepository } from '@switchboard/db';
import { TimeZone } from '@switchboard/flow-schema';
import { z } from 'zod';
import type { FlowService } from './flow-service.js';
import type { AppLogger } from './logger.js';

/** `workflows/` at the repository root, seen from `apps/server/{src,dist}`. */
export const DEFAULT_EXAMPLES_DIR = fileURLToPath(new URL('../../../workflows', import.meta.url));

/** The teams (and agents) the routing examples use, in `example-teams.json` beside the flows. */
export const EXAMPLE_TEAMS_FILE = 'example-teams.json';

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
/** A team as the file writes it (the shape of `POST /api/teams`); a broken one is skipped, not stored. */
const ExampleTeam = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/),
  name: z.string().trim().min(1).max(100),
  timezone: TimeZone,
  businessHours: z
    .array(
      z.object({
        days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).min(1),
        from: Time,
        to: Time,
      }),
    )
    .min(1)
    .nullable()
    .default(null),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
  slackCredential: z.string().min(1).max(100).nullable().default(null),
  escalationTeam: z.string().min(1).nullable().default(null),
});
type ExampleTeam = z.output<typeof ExampleTeam>;

/**
 * On a first start (no flows yet), imports the example flows so there is something to try, and with
 * them the teams the routing examples assign to (see `seedExampleTeams`). Returns the flows imported.
 */
export async function seedExamples(
  flows: FlowService,
  dir: string,
  logger: AppLogger,
  teams?: AsyncOf<TeamRepository>,
): Promise<number> {
  if ((await flows.repo.list()).length > 0 || !existsSync(dir)) return 0;
  let imported = 0;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.workflow.json'))
    .sort()) {
    const result = await flows.create(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (result.ok) imported++;
    // Several processes starting together on one empty Postgres database each seed; one wins per flow.
    else if ('conflict' in result) logger.info({ file }, 'example flow already imported by another process');
    else logger.warn({ file, result }, 'example flow not imported');
  }
  logger.info({ imported, dir }, 'example flows imported');
  if (teams) await seedExampleTeams(teams, dir, logger, new Date().toISOString());
  return imported;
}

/**
 * Creates the teams of `example-teams.json` that do not exist yet. A team whose id or name is already
 * taken is left exactly as it is (the user may have changed its hours, or made their own), so running
 * this again changes nothing. Agents are people: none is created (add them with `POST /api/agents`).
 * An escalation team that does not exist is dropped; a Slack credential is kept by name, so the team
 * posts once a credential with that name is stored. Returns the ids created.
 */
export async function seedExampleTeams(
  teams: AsyncOf<TeamRepository>,
  dir: string,
  logger: AppLogger,
  at: string,
): Promise<string[]> {
  const file = join(dir, EXAMPLE_TEAMS_FILE);
  if (!existsSync(file)) return [];
  let listed: unknown[];
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { teams?: unknown };
    listed = Array.isArray(doc.teams) ? doc.teams : [];
  } catch (error) {
    logger.warn({ err: error, file }, 'example teams not read');
    return [];
  }
  const wanted: ExampleTeam[] = [];
  for (const [index, entry] of listed.entries()) {
    const parsed = ExampleTeam.safeParse(entry);
    if (parsed.success) wanted.push(parsed.data);
    else logger.warn({ file, index, problems: parsed.error.issues }, 'example team not valid; skipped');
  }
  const created: string[] = [];
  for (const team of wanted) {
    if ((await teams.getTeam(team.id)) || (await teams.teamNamed(team.name))) continue;
    try {
      await teams.createTeam(
        {
          id: team.id,
          name: team.name,
          timezone: team.timezone,
          businessHours: team.businessHours,
          holidays: team.holidays,
          slackCredential: team.slackCredential,
          escalationTeam: null,
        },
        at,
      );
      created.push(team.id);
    } catch (error) {
      // Another process starting at the same time may have created it in between: that is the goal.
      if (await teams.getTeam(team.id))
        logger.info({ team: team.id }, 'example team created by another process');
      else logger.warn({ err: error, team: team.id }, 'example team not created');
    }
  }
  // Escalation teams once every team is there, so the order in the file does not matter.
  for (const team of wanted) {
    if (!created.includes(team.id) || !team.escalationTeam) continue;
    if ((await teams.getTeam(team.escalationTeam)) && team.escalationTeam !== team.id)
      await teams.updateTeam(team.id, { escalationTeam: team.escalationTeam }, at);
    else
      logger.warn({ team: team.id, escalationTeam: team.escalationTeam }, 'example escalation team missing');
  }
  if (created.length > 0) logger.info({ created }, 'example teams created');
  return created;
}
