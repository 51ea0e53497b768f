import { useState } from 'react';
import { ApiError } from '../../api/client';
import type { TeamRecord } from '../../api/types';
import { t } from '../../i18n';
import { Actions } from './Actions';
import { Composer } from './Composer';
import { ContactCard } from './ContactCard';
import * as server from './inbox-api';
import { windowOpen } from './model';
import { Timeline } from './Timeline';
import type { ConversationDetail } from './types';

interface Notice {
  kind: 'info' | 'error';
  text: string;
}

/**
 * A refusal in the server's words, with the problems it named (a policy refusal says why). Kept here
 * rather than taken from the editor's store, which the inbox's chunk does not need to load.
 */
function errorNotice(error: unknown): Notice {
  if (error instanceof ApiError) {
    const details = error.problems.map((p) => p.message).filter((m) => m && m !== error.message);
    return { kind: 'error', text: [error.message, ...details].join(' — ') };
  }
  return { kind: 'error', text: error instanceof Error ? error.message : String(error) };
}

/**
 * The right-hand pane: the conversation's history, what the agent can do with it, the composer and
 * the customer's attributes. Every action is followed by a refetch (the stream also brings others').
 */
export function ConversationPane({
  detail,
  gone,
  loadEarlier,
  teams,
  worksAsAgent,
  now,
  onBack,
  onChanged,
  onClosed,
}: {
  detail: ConversationDetail | null;
  gone: boolean;
  loadEarlier: (() => Promise<void>) | null;
  teams: TeamRecord[];
  /** The caller is an agent: replying picks the conversation up as them. */
  worksAsAgent: boolean;
  now: number;
  onBack(): void;
  onChanged(): Promise<void>;
  onClosed(): void;
}) {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  if (!detail)
    return gone ? (
      <div className="sb-pad" data-testid="inbox-gone">
        <button type="button" className="sb-link sb-inbox-back" onClick={onBack}>
          ← {t('inbox.back')}
        </button>
        <p className="sb-muted">{t('inbox.gone')}</p>
      </div>
    ) : (
      <p className="sb-pad sb-muted">{t('common.loading')}</p>
    );

  const run = async (action: () => Promise<unknown>, done?: string): Promise<boolean> => {
    setBusy(true);
    try {
      await action();
      setNotice(done ? { kind: 'info', text: done } : null);
      return true;
    } catch (error) {
      setNotice(errorNotice(error));
      return false;
    } finally {
      setBusy(false);
      await onChanged();
    }
  };
  // The window closes by the clock, without waiting for the next event or refetch.
  const open = windowOpen(detail.windowUntil, detail.windowOpen, now);
  const closed = detail.state === 'closed';
  /**
   * An agent's reply answers the conversation: it is picked up first (its SLA stops). The reply goes
   * out even if that fails (say a colleague picked it up meanwhile): the customer's answer comes first.
   */
  const send = (message: unknown) =>
    run(async () => {
      if (worksAsAgent && detail.state !== 'open') await server.pickUp(detail.id).catch(() => undefined);
      await server.sendMessage(detail, message);
    });

  return (
    <div className="sb-inbox-conversation" data-testid="inbox-conversation" data-conversation-id={detail.id}>
      <header className="sb-inbox-conv-head">
        <button type="button" className="sb-link sb-inbox-back" onClick={onBack} data-testid="inbox-back">
          ← {t('inbox.back')}
        </button>
        <div>
          <strong data-testid="inbox-conv-name">
            {detail.customer?.name ?? detail.contactName ?? `+${detail.waId}`}
          </strong>{' '}
          <span className="sb-muted">+{detail.waId}</span>
        </div>
        <span className="sb-spacer" />
        <span className="sb-badge">{t(`inbox.state.${detail.state}`)}</span>
      </header>
      {closed ? null : (
        <Actions
          conversation={detail}
          teams={teams}
          busy={busy}
          on={{
            pickUp: () => void run(() => server.pickUp(detail.id)),
            transfer: (to) => void run(() => server.transfer(detail.id, to), t('inbox.transferred')),
            handBack: () => void run(() => server.handBack(detail.id), t('inbox.handedBack')),
            close: () =>
              void run(() => server.close(detail.id), t('inbox.closed')).then((ok) => ok && onClosed()),
          }}
        />
      )}
      {notice ? (
        <div
          className={`sb-notice is-${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="inbox-notice"
        >
          <span>{notice.text}</span>
          <button type="button" className="sb-link" onClick={() => setNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      ) : null}
      <div className="sb-inbox-conv-body">
        <div className="sb-inbox-chat">
          <Timeline items={detail.timeline} loadEarlier={loadEarlier} />
          {closed ? (
            <p className="sb-pad sb-muted">{t('inbox.isClosed')}</p>
          ) : (
            <Composer
              windowIsOpen={open}
              disabled={busy}
              channelId={detail.channel}
              onSend={send}
              onNote={(text) => run(() => server.addNote(detail.id, text))}
            />
          )}
        </div>
        <ContactCard contact={detail.customer} />
      </div>
    </div>
  );
}
