import type { TeamRecord } from '../../api/types';
import { t } from '../../i18n';
import { slaCountdown } from './model';
import type { InboxConversation } from './types';

/** The left column: open conversations in working order, each with its SLA countdown. */
export function ConversationList({
  items,
  openId,
  teams,
  now,
  onOpen,
}: {
  items: InboxConversation[] | null;
  openId: string | null;
  teams: TeamRecord[];
  now: number;
  onOpen(id: string): void;
}) {
  if (items === null) return <p className="sb-pad sb-muted">{t('common.loading')}</p>;
  if (items.length === 0)
    return (
      <p className="sb-pad sb-muted" data-testid="inbox-empty">
        {t('inbox.empty')}
      </p>
    );
  const teamName = (id: string) => teams.find((team) => team.id === id)?.name ?? id;
  return (
    <ul className="sb-inbox-items" data-testid="inbox-list">
      {items.map((c) => {
        const sla = slaCountdown(c, now);
        const tier = c.contact?.tier ?? null;
        const last = c.lastMessage?.preview || c.summary;
        const name = c.contact?.name ?? c.contactName;
        return (
          <li key={c.id}>
            <button
              type="button"
              className={`sb-inbox-item${c.id === openId ? ' is-open' : ''}`}
              onClick={() => onOpen(c.id)}
              data-testid={`inbox-item-${c.id}`}
              data-wa-id={c.waId}
            >
              <span className="sb-inbox-item-top">
                <strong>{name ?? `+${c.waId}`}</strong>
                <span className={`sb-inbox-priority is-${c.priority}`}>
                  {t(`inbox.priority.${c.priority}`)}
                </span>
              </span>
              <span className="sb-inbox-item-meta sb-muted">
                +{c.waId}
                {tier ? (
                  <span className="sb-badge" data-testid="inbox-tier">
                    {tier}
                  </span>
                ) : null}
                <span>{teamName(c.teamId)}</span>
              </span>
              {last ? (
                <span className="sb-inbox-last" data-testid="inbox-last">
                  {c.lastMessage?.direction === 'out' ? '↩ ' : ''}
                  {last}
                </span>
              ) : null}
              <span className="sb-inbox-item-meta">
                <span className="sb-muted">{t(`inbox.state.${c.state}`)}</span>
                {sla ? (
                  <span
                    className={`sb-inbox-sla${sla.overdue ? ' is-overdue' : sla.soon ? ' is-soon' : ''}`}
                    title={t(sla.overdue ? 'inbox.sla.overdue' : 'inbox.sla.left')}
                    data-testid="inbox-sla"
                  >
                    {t('inbox.sla.short')} {sla.text}
                  </span>
                ) : null}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
