// The analytics benchmark's data set, written in bulk by the database itself (a recursive CTE on SQLite,
// generate_series on Postgres) in one transaction: N messages spread evenly over 90 days before END, with
// their status history, the runs that sent them, failed steps, conversations and consent changes.
//
// Message i (0-based) is `m` + i in 7 digits + two hex digits of a hash of i (real ids end in random hex,
// which the time-to-read sample relies on), created at START + i × 90 days / N, sent by run i / 4 of flow (i / 4) % 20, to
// one of 50,000 customers; every third is a template (12 names). By i % 100: 0–1 failed (Meta codes in
// turn; the odd ones after acceptance), 2 refused by policy (four reasons in turn), 3–9 sent, 10–39
// delivered, 40–99 read (10 s to an hour after acceptance). One run in 20 failed, at one of 7 nodes.
// Every 50th message opens a conversation (5 teams, 25 agents); every 100th a customer opts in or out.

export const END = '2026-03-01T00:00:00.000Z';
export const SPAN_DAYS = 90;
const START_MS = Date.parse(END) - SPAN_DAYS * 86_400_000;

/** SQLite statements, to run in order inside one transaction. */
export function sqliteSeed(n: number): string[] {
  const step = (SPAN_DAYS * 86_400_000) / n;
  const time = (ms: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000.0, 'unixepoch')`;
  const series = (count: number | string) =>
    `with recursive s(i) as (select 0 union all select i + 1 from s where i < ${count} - 1)`;
  const at = (i: string) => time(`${START_MS} + ${i} * ${step}`);
  return [
    `insert into flows (id, name, current_version, created_at, updated_at)
     ${series(20)} select 'flow-' || i, 'Flow ' || i, 1, '${END}', '${END}' from s`,
    `insert into runs (id, flow_id, flow_version, status, trigger_node_id, state, created_at)
     ${series(Math.ceil(n / 4))}
     select printf('run%07d', i), 'flow-' || (i % 20), 1, case when i % 20 = 0 then 'failed' else 'succeeded' end,
       'trigger', '{}', ${at('i * 4')} from s`,
    `insert into run_steps (id, run_id, seq, node_id, node_type, attempt, status, ports, started_at)
     select id || ':1', id, 1, 'node-' || (cast(substr(id, 4) as integer) % 7), 'http.request', 1, 'failed', '[]', created_at
     from runs where status = 'failed'`,
    `insert into outbox (id, idempotency_key, run_id, node_id, channel, recipient, kind, category, payload, status,
       attempts, provider_message_id, last_error, created_at, updated_at)
     ${series(n)}, m(i, c, t) as (select i, i % 100, ${at('i')} from s)
     select printf('m%07d%02x', i, (i * 2654435761) % 256), printf('k%07d', i), printf('run%07d', i / 4), 'send', 'bench', printf('52155%05d', i % 50000),
       case when i % 3 = 0 then 'template' else 'text' end, case when i % 3 = 0 then 'marketing' end,
       case when i % 3 = 0 then json_object('type', 'template', 'name', 'tpl_' || (i % 12), 'language', 'es_MX')
         else '{"type":"text","text":{"body":"hola"}}' end,
       case when c < 2 then 'failed' when c = 2 then 'refused' when c < 10 then 'sent' when c < 40 then 'delivered' else 'read' end,
       1,
       case when c = 2 or (c < 2 and i % 2 = 0) then null else printf('wamid.%07d', i) end,
       case when c < 2 then json_object('code', json_extract('[131047, 131026, 131056, 130429, 131049]', '$[' || ((i / 100) % 5) || ']'), 'message', 'failed')
         when c = 2 then json_object('code', json_extract('["outside_24h_window", "opted_out", "not_opted_in", "blocked_region"]', '$[' || ((i / 100) % 4) || ']'), 'message', 'refused')
       end,
       t, t
     from m`,
    `insert into outbox_statuses (outbox_id, status, at, source)
     select id, 'accepted', strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+1 seconds'), 'api' from outbox
     where provider_message_id is not null`,
    `insert into outbox_statuses (outbox_id, status, at, source)
     select id, 'delivered', strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+5 seconds'), 'webhook' from outbox
     where status in ('delivered', 'read')`,
    `insert into outbox_statuses (outbox_id, status, at, source)
     select id, 'read', strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+' || (11 + cast(substr(id, 2, 7) as integer) % 3600) || ' seconds'), 'webhook'
     from outbox where status = 'read'`,
    `insert into outbox_statuses (outbox_id, status, at, source)
     select id, 'failed', strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+9 seconds'), 'webhook' from outbox where status = 'failed'`,
    `insert into teams (id, name, name_key, created_at, updated_at)
     ${series(5)} select 'team-' || i, 'Team ' || i, 'team ' || i, '${END}', '${END}' from s`,
    `insert into agents (id, name, capacity, created_at, updated_at)
     ${series(25)} select 'agent-' || i, 'Agent ' || i, 5, '${END}', '${END}' from s`,
    `insert into conversations (id, channel, wa_id, team_id, agent_id, priority, priority_rank, state, idempotency_key,
       opened_at, assigned_at, picked_up_at, sla_due_at, closed_at, updated_at)
     select 'c' || id, 'bench', recipient, 'team-' || (cast(substr(id, 2, 7) as integer) / 50 % 5),
       'agent-' || (cast(substr(id, 2, 7) as integer) / 50 % 25), 'normal', 1, 'closed', 'route-' || id,
       created_at, strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+2 minutes'),
       strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+' || (cast(substr(id, 2, 7) as integer) % 40) || ' minutes'),
       strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+15 minutes'), strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+1 hours'),
       created_at
     from outbox where cast(substr(id, 2, 7) as integer) % 50 = 0`,
    `insert into conversation_events (conversation_id, at, kind, data)
     select id, assigned_at, 'assigned', json_object('agent', agent_id) from conversations`,
    `insert into inbound_events (provider, provider_event_id, delivery_id, type, channel_id, wa_id, normalized, status,
       occurred_at, received_at)
     select 'whatsapp', 'consent-' || id, 1,
       case when cast(substr(id, 2, 7) as integer) % 300 = 0 then 'contact.opted_in' else 'contact.opted_out' end,
       'bench', recipient, json_object('source', 'keyword'), 'processed', created_at, created_at
     from outbox where cast(substr(id, 2, 7) as integer) % 100 = 0`,
  ];
}

/** The same data set on Postgres (times as timestamptz), statement by statement. */
export function pgSeed(n: number): string[] {
  const step = (SPAN_DAYS * 86_400_000) / n;
  const at = (i: string) =>
    `(timestamptz '${new Date(START_MS).toISOString()}' + (${i})::float8 * ${step} * interval '1 millisecond')`;
  const num = (id: string, from: number) => `substr(${id}, ${from}, 7)::int`;
  return [
    `insert into flows (id, name, current_version, created_at, updated_at)
     select 'flow-' || i, 'Flow ' || i, 1, '${END}', '${END}' from generate_series(0, 19) i`,
    `insert into runs (id, flow_id, flow_version, status, trigger_node_id, state, created_at)
     select 'run' || lpad(i::text, 7, '0'), 'flow-' || (i % 20), 1, case when i % 20 = 0 then 'failed' else 'succeeded' end,
       'trigger', '{}', ${at('i * 4')} from generate_series(0, ${Math.ceil(n / 4)} - 1) i`,
    `insert into run_steps (id, run_id, seq, node_id, node_type, attempt, status, ports, started_at)
     select id || ':1', id, 1, 'node-' || (${num('id', 4)} % 7), 'http.request', 1, 'failed', '[]', created_at
     from runs where status = 'failed'`,
    `insert into outbox (id, idempotency_key, run_id, node_id, channel, recipient, kind, category, payload, status,
       attempts, provider_message_id, last_error, created_at, updated_at)
     select 'm' || lpad(i::text, 7, '0') || lpad(to_hex((i::bigint * 2654435761) % 256), 2, '0'), 'k' || lpad(i::text, 7, '0'), 'run' || lpad((i / 4)::text, 7, '0'), 'send', 'bench',
       '52155' || lpad((i % 50000)::text, 5, '0'),
       case when i % 3 = 0 then 'template' else 'text' end, case when i % 3 = 0 then 'marketing' end,
       case when i % 3 = 0 then json_build_object('type', 'template', 'name', 'tpl_' || (i % 12), 'language', 'es_MX')
         else '{"type":"text","text":{"body":"hola"}}'::json end,
       case when c < 2 then 'failed' when c = 2 then 'refused' when c < 10 then 'sent' when c < 40 then 'delivered' else 'read' end,
       1,
       case when c = 2 or (c < 2 and i % 2 = 0) then null else 'wamid.' || lpad(i::text, 7, '0') end,
       case when c < 2 then json_build_object('code', (array[131047, 131026, 131056, 130429, 131049])[(i / 100) % 5 + 1], 'message', 'failed')
         when c = 2 then json_build_object('code', (array['outside_24h_window', 'opted_out', 'not_opted_in', 'blocked_region'])[(i / 100) % 4 + 1], 'message', 'refused')
       end,
       t, t
     from (select i, i % 100 as c, ${at('i')} as t from generate_series(0, ${n} - 1) i) m`,
    `insert into outbox_statuses (outbox_id, status, at, source)
     select id, 'accepted', created_at + interval '1 second', 'api' from outbox where provider_message_id is not null
     union all
     select id, 'delivered', created_at + interval '5 seconds', 'webhook' from outbox where status in ('delivered', 'read')
     union all
     select id, 'read', created_at + (11 + ${num('id', 2)} % 3600) * interval '1 second', 'webhook' from outbox where status = 'read'
     union all
     select id, 'failed', created_at + interval '9 seconds', 'webhook' from outbox where status = 'failed'`,
    `insert into teams (id, name, name_key, created_at, updated_at)
     select 'team-' || i, 'Team ' || i, 'team ' || i, '${END}', '${END}' from generate_series(0, 4) i`,
    `insert into agents (id, name, capacity, created_at, updated_at)
     select 'agent-' || i, 'Agent ' || i, 5, '${END}', '${END}' from generate_series(0, 24) i`,
    `insert into conversations (id, channel, wa_id, team_id, agent_id, priority, priority_rank, state, idempotency_key,
       opened_at, assigned_at, picked_up_at, sla_due_at, closed_at, updated_at)
     select 'c' || id, 'bench', recipient, 'team-' || (${num('id', 2)} / 50 % 5), 'agent-' || (${num('id', 2)} / 50 % 25),
       'normal', 1, 'closed', 'route-' || id, created_at, created_at + interval '2 minutes',
       created_at + (${num('id', 2)} % 40) * interval '1 minute', created_at + interval '15 minutes',
       created_at + interval '1 hour', created_at
     from outbox where ${num('id', 2)} % 50 = 0`,
    `insert into conversation_events (conversation_id, at, kind, data)
     select id, assigned_at, 'assigned', json_build_object('agent', agent_id) from conversations`,
    `insert into inbound_events (provider, provider_event_id, delivery_id, type, channel_id, wa_id, normalized, status,
       occurred_at, received_at)
     select 'whatsapp', 'consent-' || id, 1,
       case when ${num('id', 2)} % 300 = 0 then 'contact.opted_in' else 'contact.opted_out' end,
       'bench', recipient, json_build_object('source', 'keyword'), 'processed', created_at, created_at
     from outbox where ${num('id', 2)} % 100 = 0`,
  ];
}
