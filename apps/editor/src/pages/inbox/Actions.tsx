import { useEffect, useState } from 'react';
import type { TeamRecord } from '../../api/types';
import { t } from '../../i18n';
import { listAgents } from './inbox-api';
import type { InboxAgent, InboxConversation } from './types';

export interface ActionHandlers {
  pickUp(): void;
  transfer(to: { team?: string; agent?: string }): void;
  handBack(): void;
  close(): void;
}

/** Pick up, transfer (to a team and/or one of its agents), hand back to the flows, close. */
export function Actions({
  conversation,
  teams,
  busy,
  on,
}: {
  conversation: InboxConversation;
  teams: TeamRecord[];
  busy: boolean;
  on: ActionHandlers;
}) {
  const [transferring, setTransferring] = useState(false);
  return (
    <div className="sb-inbox-actions">
      <div className="sb-inbox-action-row">
        {conversation.state !== 'open' ? (
          <button
            type="button"
            className="sb-primary"
            disabled={busy}
            onClick={on.pickUp}
            data-testid="inbox-pick-up"
          >
            {t('inbox.pickUp')}
          </button>
        ) : null}
        <button
          type="button"
          disabled={busy}
          onClick={() => setTransferring(!transferring)}
          aria-expanded={transferring}
          data-testid="inbox-transfer"
        >
          {t('inbox.transfer')}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={on.handBack}
          data-testid="inbox-hand-back"
          title={t('inbox.handBackHelp')}
        >
          {t('inbox.handBack')}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            if (window.confirm(t('inbox.closeConfirm'))) on.close();
          }}
          data-testid="inbox-close"
        >
          {t('inbox.close')}
        </button>
      </div>
      {transferring ? (
        <TransferForm
          conversation={conversation}
          teams={teams}
          busy={busy}
          onSubmit={(to) => {
            setTransferring(false);
            on.transfer(to);
          }}
        />
      ) : null}
    </div>
  );
}

function TransferForm({
  conversation,
  teams,
  busy,
  onSubmit,
}: {
  conversation: InboxConversation;
  teams: TeamRecord[];
  busy: boolean;
  onSubmit(to: { team?: string; agent?: string }): void;
}) {
  const [team, setTeam] = useState(conversation.teamId);
  const [agent, setAgent] = useState('');
  const [agents, setAgents] = useState<InboxAgent[]>([]);
  useEffect(() => {
    let live = true;
    setAgent('');
    listAgents(team).then(
      (list) => live && setAgents(list),
      () => live && setAgents([]),
    );
    return () => {
      live = false;
    };
  }, [team]);
  const sameTeam = team === conversation.teamId;
  return (
    <form
      className="sb-inbox-action-row"
      data-testid="transfer-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ ...(sameTeam ? {} : { team }), ...(agent ? { agent } : {}) });
      }}
    >
      <label>
        {t('inbox.transferTeam')}
        <select value={team} onChange={(e) => setTeam(e.target.value)} data-testid="transfer-team">
          {teams.map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('inbox.transferAgent')}
        <select value={agent} onChange={(e) => setAgent(e.target.value)} data-testid="transfer-agent">
          <option value="">{t('inbox.transferAnyAgent')}</option>
          {agents
            .filter((a) => a.id !== conversation.agentId)
            .map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {a.available ? '' : ` (${t('inbox.unavailable')})`}
              </option>
            ))}
        </select>
      </label>
      <button
        type="submit"
        className="sb-primary"
        disabled={busy || (sameTeam && !agent)}
        data-testid="transfer-submit"
      >
        {t('inbox.transferDo')}
      </button>
    </form>
  );
}
