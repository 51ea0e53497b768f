import type { Database, Repositories, ScheduleRow } from '@switchboard/db';
import type { Engine } from '@switchboard/engine';
import { latestOccurrence, nextOccurrence, scheduleOf, schedulePayload } from '@switchboard/nodes';
import type { ActiveTrigger, FlowService } from './flow-service.js';
import type { AppLogger } from './logger.js';
import { startLoop } from './loop.js';

/** The event name `trigger.schedule` declares, by which active scheduled flows are found. */
const SCHEDULE_EVENT = 'schedule.fired';
/** Schedules fired per tick; the loop goes again at once when a tick was full. */
const BATCH = 50;

export interface FlowSchedulesDeps {
  database: Database;
  flows: Pick<FlowService, 'activeTriggers' | 'repo' | 'generation' | 'sync'>;
  engine: Pick<Engine, 'newRun'>;
  logger: AppLogger;
  /** Injected so tests can move time by hand. */
  now?: () => Date;
}

/**
 * Keeps `flow_schedules` in step with the active flows whose trigger is `trigger.schedule`, and fires
 * the occurrences that are due. Each fire is one transaction: claim the occurrence (move `next_fire_at`
 * on, only if it has not moved) and create the run. A crash before the commit leaves the occurrence
 * due, a crash after it leaves it done: never lost, never doubled.
 *
 * Missed occurrences: after downtime, several may have passed. `runOnce` fires the latest of them once;
 * `skip` fires none of those that fell before this process started (later ones, e.g. after a long
 * pause of the loop, still fire once).
 */
export class FlowSchedules {
  private readonly now: () => Date;
  private readonly log: AppLogger;
  /** Occurrences before this instant fell while no server was running. */
  private readonly bootAt: Date;
  private syncedGeneration = Number.NaN;

  private readonly schedules: Repositories['schedules'];

  constructor(private readonly deps: FlowSchedulesDeps) {
    this.schedules = deps.database.repos.schedules;
    this.now = deps.now ?? (() => new Date());
    this.log = deps.logger.child({ component: 'schedules' });
    this.bootAt = this.now();
  }

  /** Re-syncs the rows if any flow was saved, activated, deactivated or deleted since the last look. */
  async refresh(): Promise<void> {
    await this.deps.flows.sync();
    if (this.syncedGeneration === this.deps.flows.generation) return;
    await this.syncAll();
  }

  /**
   * One row per active scheduled flow. A row whose trigger, cron and time zone did not change keeps its
   * next time (a save must not skip or repeat an occurrence); a new or changed one starts from the write
   * that made it so.
   */
  async syncAll(): Promise<void> {
    const generation = this.deps.flows.generation;
    const at = this.now();
    const wanted = new Map<string, ScheduleRow>();
    for (const t of await this.deps.flows.activeTriggers(SCHEDULE_EVENT)) {
      const parsed = scheduleOf(t.node.params, t.flow.settings.timezone);
      if (!parsed.ok) {
        this.log.warn(
          { flowId: t.flow.id, problem: parsed.message },
          'schedule not set: invalid trigger params',
        );
        continue;
      }
      const { cron, timezone, missed } = parsed.schedule;
      const old = await this.schedules.get(t.flow.id);
      const same = old && old.nodeId === t.node.id && old.cron === cron && old.timezone === timezone;
      const next = same
        ? old.nextFireAt
        : nextOccurrence({ cron, timezone }, await this.since(t.flow.id, at))?.toISOString();
      if (!next) {
        this.log.warn({ flowId: t.flow.id, cron }, 'schedule not set: the expression has no future time');
        continue;
      }
      wanted.set(t.flow.id, {
        flowId: t.flow.id,
        nodeId: t.node.id,
        flowVersion: t.version,
        cron,
        timezone,
        missed,
        nextFireAt: next,
        updatedAt: at.toISOString(),
      });
    }
    await this.deps.database.transaction(async (r) => {
      for (const row of await r.schedules.list()) {
        const want = wanted.get(row.flowId);
        if (!want) await r.schedules.remove(row.flowId);
        else if (!sameRow(row, want)) await r.schedules.upsert(want);
        wanted.delete(row.flowId);
      }
      for (const row of wanted.values()) await r.schedules.upsert(row);
    });
    this.syncedGeneration = generation;
  }

  /**
   * Where a new or changed schedule starts counting: the flow write that made it so (its `updatedAt`),
   * not the moment this loop noticed, so a time between the two is not lost.
   */
  private async since(flowId: string, now: Date): Promise<Date> {
    const written = Date.parse((await this.deps.flows.repo.get(flowId))?.updatedAt ?? '');
    return Number.isNaN(written) || written > now.getTime() ? now : new Date(written);
  }

  /** Fires the due occurrences; returns how many runs started and the earliest next time. */
  async tick(): Promise<{ started: number; full: boolean; nextAt: string | null }> {
    await this.refresh();
    const at = this.now();
    const due = await this.schedules.due(at.toISOString(), BATCH);
    let started = 0;
    for (const row of due) {
      try {
        if (await this.fire(row, at)) started++;
      } catch (error) {
        this.log.error({ err: error, flowId: row.flowId }, 'scheduled run could not be started');
      }
    }
    return { started, full: due.length === BATCH, nextAt: await this.schedules.earliest() };
  }

  /** When the flow runs next, or null if it is not an active scheduled flow. */
  async nextRunAt(flowId: string): Promise<string | null> {
    await this.refresh();
    return (await this.schedules.get(flowId))?.nextFireAt ?? null;
  }

  private async fire(row: ScheduleRow, at: Date): Promise<boolean> {
    const trigger = (await this.deps.flows.activeTriggers(SCHEDULE_EVENT)).find(
      (t) => t.flow.id === row.flowId && t.version === row.flowVersion,
    );
    const parsed = trigger && scheduleOf(trigger.node.params, trigger.flow.settings.timezone);
    if (!trigger || !parsed?.ok) {
      await this.schedules.remove(row.flowId); // refresh() just ran, so this is stale; the next sync redoes it
      return false;
    }
    const spec = { cron: row.cron, timezone: row.timezone };
    const latest = maxDate(latestOccurrence(spec, at), new Date(row.nextFireAt));
    const next = nextOccurrence(spec, at);
    const missedWhileDown = latest < this.bootAt;
    const runIt = !missedWhileDown || row.missed === 'runOnce';
    return this.deps.database.transaction(async (r) => {
      if (!next) await r.schedules.remove(row.flowId);
      else if (
        !(await r.schedules.advance({
          flowId: row.flowId,
          from: row.nextFireAt,
          to: next.toISOString(),
          at: at.toISOString(),
        }))
      )
        return false; // someone else claimed this occurrence
      if (!runIt) {
        this.log.info({ flowId: row.flowId, missedSince: row.nextFireAt }, 'missed scheduled times skipped');
        return false;
      }
      await this.startRun(r, trigger, parsed.schedule, { firedAt: at, scheduledFor: latest });
      if (latest.toISOString() !== row.nextFireAt || missedWhileDown)
        this.log.info(
          { flowId: row.flowId, missedSince: row.nextFireAt, scheduledFor: latest.toISOString() },
          'missed scheduled time run once',
        );
      return true;
    });
  }

  private async startRun(
    r: Repositories,
    t: ActiveTrigger,
    schedule: Parameters<typeof schedulePayload>[0],
    times: { firedAt: Date; scheduledFor: Date },
  ) {
    await r.runs.createRun(
      this.deps.engine.newRun({
        flow: t.flow,
        flowVersion: t.version,
        payload: schedulePayload(schedule, times),
        triggerNodeId: t.node.id,
      }),
    );
  }
}

const sameRow = (a: ScheduleRow, b: ScheduleRow) =>
  a.nodeId === b.nodeId &&
  a.flowVersion === b.flowVersion &&
  a.cron === b.cron &&
  a.timezone === b.timezone &&
  a.missed === b.missed &&
  a.nextFireAt === b.nextFireAt;

const maxDate = (a: Date | null, b: Date) => (a && a > b ? a : b);

/** Looks for due schedules every `pollMs`, or sooner when the next one is closer. */
export function startScheduleLoop(args: {
  schedules: FlowSchedules;
  pollMs: number;
  /** Called after runs were created, so the run scheduler looks at once. */
  onRunsStarted: () => void;
  logger: AppLogger;
}) {
  return startLoop({
    name: 'schedules',
    pollMs: args.pollMs,
    onError: (error) => args.logger.error({ err: error }, 'schedule tick failed'),
    tick: async () => {
      const { started, full, nextAt } = await args.schedules.tick();
      if (started > 0) args.onRunsStarted();
      const untilNext = nextAt ? Date.parse(nextAt) - Date.now() : args.pollMs;
      // Still due after the tick means a fire failed (it was logged): try again after a poll, not at once.
      return { again: full, sleepMs: untilNext > 0 ? untilNext : args.pollMs };
    },
  });
}
