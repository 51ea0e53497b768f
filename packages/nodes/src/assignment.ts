import { localTime, toMinutes } from './local-time.js';
import type { AssignStrategy, Priority, TeamView } from './routing-services.js';

/** The part of a team that says when it is open. */
export type TeamHours = Pick<TeamView, 'timezone' | 'businessHours' | 'holidays'>;

/** Whether the team takes conversations at `now`: inside an opening interval and not on a holiday, in its zone. */
export function isTeamOpen(team: TeamHours, now: Date): boolean {
  if (!team.businessHours) return true;
  const local = localTime(now, team.timezone);
  if (team.holidays.includes(local.date)) return false;
  return team.businessHours.some(
    (i) =>
      i.days.includes(local.weekday) && local.minutes >= toMinutes(i.from) && local.minutes < toMinutes(i.to),
  );
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * The first instant at or after `from` when the team is open, or null when it does not open within
 * `horizonDays` (e.g. every interval falls on holidays). Jumps from one candidate opening time to the
 * next (interval starts and local midnights) instead of walking minute by minute; each landing is
 * checked with `isTeamOpen`, so a daylight-saving change can only make it look at one more candidate.
 */
export function nextOpening(team: TeamHours, from: Date, horizonDays = 400): Date | null {
  if (isTeamOpen(team, from)) return from;
  const hours = team.businessHours ?? [];
  const end = from.getTime() + horizonDays * DAY_MINUTES * MINUTE;
  let t = Math.floor(from.getTime() / MINUTE) * MINUTE;
  while (t <= end) {
    const local = localTime(new Date(t), team.timezone);
    const starts = team.holidays.includes(local.date)
      ? []
      : hours.filter((i) => i.days.includes(local.weekday)).map((i) => toMinutes(i.from));
    const laterToday = starts.filter((m) => m > local.minutes);
    const target = laterToday.length ? Math.min(...laterToday) : DAY_MINUTES;
    let next = t + (target - local.minutes) * MINUTE;
    // Across a daylight-saving change local minutes and real minutes differ: land on the local target.
    const landed = localTime(new Date(next), team.timezone);
    const drift = landed.date === local.date ? landed.minutes - target : 0;
    if (drift !== 0 && next - drift * MINUTE > t) next -= drift * MINUTE;
    t = next;
    if (isTeamOpen(team, new Date(t))) return new Date(t);
  }
  return null;
}

/** An agent as assignment sees it: `open` is how many conversations they hold now. */
export interface AgentLoad {
  id: string;
  name: string;
  skills: readonly string[];
  capacity: number;
  available: boolean;
  open: number;
}

/**
 * The agent who gets the next conversation, or null when nobody can take it. Only available agents
 * with every required skill (case-insensitive) and room below their capacity are considered.
 * `roundRobin`: the next such agent in id order after `lastAgentId` (wrapping round); `leastOpen`: the
 * one holding the fewest conversations, ties broken by that same round-robin order.
 */
export function pickAgent<A extends AgentLoad>(args: {
  agents: readonly A[];
  strategy: AssignStrategy;
  skills: readonly string[];
  lastAgentId: string | null;
}): A | null {
  const needed = args.skills.map((s) => s.trim().toLowerCase()).filter(Boolean);
  const eligible = args.agents.filter((a) => {
    if (!a.available || a.open >= a.capacity) return false;
    const has = new Set(a.skills.map((s) => s.trim().toLowerCase()));
    return needed.every((s) => has.has(s));
  });
  const ordered = roundRobinOrder(eligible, args.lastAgentId);
  if (args.strategy === 'roundRobin') return ordered[0] ?? null;
  let best: A | null = null;
  for (const a of ordered) if (!best || a.open < best.open) best = a;
  return best;
}

/** Agents in id order, starting with the first one after `lastAgentId`. */
function roundRobinOrder<A extends { id: string }>(agents: readonly A[], lastAgentId: string | null): A[] {
  const sorted = [...agents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (lastAgentId === null) return sorted;
  const start = sorted.findIndex((a) => a.id > lastAgentId);
  return start <= 0 ? sorted : [...sorted.slice(start), ...sorted.slice(0, start)];
}

const RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** Queue order of a priority: urgent (3) before high, normal and low (0). */
export function priorityRank(priority: Priority): number {
  return RANK[priority];
}
