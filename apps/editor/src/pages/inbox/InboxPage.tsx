import { useState } from 'react';
import { t } from '../../i18n';
import { navigate } from '../../router';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import { setAvailable } from './inbox-api';
import { type InboxView, inboxList } from './model';
import { useInbox, useNow } from './useInbox';
import './inbox.css';

/** `/inbox` and `/inbox/<id>`: the id of the open conversation, if any. */
export function inboxPath(conversationId: string | null): string {
  return conversationId ? `/inbox/${encodeURIComponent(conversationId)}` : '/inbox';
}

/**
 * The agent inbox: open conversations of the caller's teams on the left (most urgent, then longest
 * waiting, first), the open one on the right. Below 700 px wide the two are separate screens: the list,
 * or the conversation with a back button.
 */
export function InboxPage({ conversationId }: { conversationId: string | null }) {
  const now = useNow();
  const [view, setView] = useState<InboxView>('teams');
  const data = useInbox(conversationId);
  const items = data.conversations ? inboxList(data.conversations, view, data.me?.id ?? null) : null;
  const [toggling, setToggling] = useState(false);
  const [toggleError, setToggleError] = useState<string | null>(null);

  const toggleAvailable = async () => {
    if (!data.me) return;
    setToggling(true);
    try {
      data.setMe(await setAvailable(data.me.id, !data.me.available));
      setToggleError(null);
    } catch (e) {
      setToggleError(e instanceof Error ? e.message : String(e));
    } finally {
      setToggling(false);
    }
  };

  return (
    <div
      className={`sb-inbox${conversationId ? ' has-open' : ''}`}
      data-testid="inbox-page"
      data-stream={data.stream}
    >
      <header className="sb-inbox-head">
        <h1>{t('inbox.title')}</h1>
        <div className="sb-inbox-views" role="tablist">
          {/* "Assigned to me" only for someone who works as an agent. */}
          {(data.me ? (['teams', 'mine'] as const) : (['teams'] as const)).map((v) => (
            <button
              type="button"
              role="tab"
              key={v}
              aria-selected={view === v}
              className={view === v ? 'is-active' : ''}
              onClick={() => setView(v)}
              data-testid={`inbox-view-${v}`}
            >
              {t(v === 'teams' ? 'inbox.view.teams' : 'inbox.view.mine')}
            </button>
          ))}
        </div>
        <span className="sb-spacer" />
        <span
          className={`sb-inbox-live is-${data.stream}`}
          title={t(data.stream === 'live' ? 'inbox.live' : 'inbox.reconnecting')}
          data-testid="inbox-live"
        >
          ●
        </span>
        {data.me ? (
          <label className="sb-inbox-toggle" data-testid="availability">
            <input
              type="checkbox"
              checked={data.me.available}
              disabled={toggling}
              onChange={() => void toggleAvailable()}
              data-testid="availability-toggle"
            />
            {t(data.me.available ? 'inbox.available' : 'inbox.away')}
          </label>
        ) : null}
      </header>
      {data.error ? (
        <p className="sb-error sb-pad" data-testid="inbox-error">
          {data.error}
        </p>
      ) : null}
      {toggleError ? <p className="sb-error sb-pad">{toggleError}</p> : null}
      <div className="sb-inbox-body">
        <nav className="sb-inbox-list" aria-label={t('inbox.title')}>
          <ConversationList
            items={items}
            openId={conversationId}
            teams={data.teams}
            now={now}
            onOpen={(id) => navigate(inboxPath(id))}
          />
        </nav>
        <section className="sb-inbox-pane">
          {conversationId ? (
            <ConversationPane
              detail={data.detail}
              gone={data.gone}
              loadEarlier={data.loadEarlier}
              teams={data.teams}
              worksAsAgent={data.me !== null}
              now={now}
              onBack={() => navigate(inboxPath(null))}
              onChanged={data.refresh}
              onClosed={() => navigate(inboxPath(null))}
            />
          ) : (
            <p className="sb-pad sb-muted">{t('inbox.pick')}</p>
          )}
        </section>
      </div>
    </div>
  );
}
