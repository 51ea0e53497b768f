import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { t } from '../../i18n';
import { type Run, When } from '../people/parts';
import type { Channel, CredentialInfo, CrmSyncRecord, CrmSyncSetting } from './types';

type Provider = CrmSyncSetting['provider'];
const REFRESH_MS = 3_000;

/**
 * One channel's CRM timeline sync: the CRM, the stored credential of its type, how HubSpot logs a
 * message (note or WhatsApp communication), on/off; and its latest records, dead ones replayable.
 */
export function ChannelCrmSync({
  channel,
  credentials,
  run,
}: {
  channel: Channel;
  credentials: CredentialInfo[];
  run: Run;
}) {
  const base = `/api/channels/${encodeURIComponent(channel.id)}/crm-sync`;
  const [saved, setSaved] = useState<CrmSyncSetting | null | undefined>(undefined);
  const [provider, setProvider] = useState<Provider>('hubspot');
  const [credential, setCredential] = useState('');
  const [logAs, setLogAs] = useState('note');
  const [enabled, setEnabled] = useState(true);
  const [records, setRecords] = useState<CrmSyncRecord[]>([]);

  const load = useCallback(async () => {
    const s = (await api.get<{ setting: CrmSyncSetting | null }>(base)).setting;
    setSaved(s);
    if (!s) return;
    setProvider(s.provider);
    setCredential(s.credential);
    setLogAs(s.provider === 'hubspot' ? s.logAs : 'note');
    setEnabled(s.enabled);
  }, [base]);
  const loadRecords = useCallback(async () => {
    try {
      setRecords((await api.get<{ items: CrmSyncRecord[] }>(`${base}/records?limit=20`)).items);
    } catch {
      // Tried again at the next refresh.
    }
  }, [base]);
  useEffect(() => {
    void run(async () => {
      await load();
      return null;
    });
    void loadRecords();
    const timer = setInterval(() => void loadRecords(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, loadRecords, run]);

  const usable = credentials.filter((c) => c.type === provider);
  const save = () =>
    void run(async () => {
      await api.put(base, { provider, credential, enabled, ...(provider === 'hubspot' ? { logAs } : {}) });
      await load();
      return { kind: 'info', text: t('int.crmSaved', { channel: channel.name }) };
    });
  const remove = () =>
    void run(async () => {
      await api.delete(base);
      await load();
      return { kind: 'info', text: t('int.crmRemoved', { channel: channel.name }) };
    });
  const replay = (r: CrmSyncRecord) =>
    void run(async () => {
      await api.post(`${base}/records/${encodeURIComponent(r.id)}/replay`);
      return { kind: 'info', text: t('int.replayed', { count: 1 }) };
    }).then(loadRecords);
  const replayAll = () =>
    void run(async () => {
      const { replayed } = await api.post<{ replayed: number }>(`${base}/replay-dead`);
      return { kind: 'info', text: t('int.replayed', { count: replayed }) };
    }).then(loadRecords);

  const id = channel.id;
  return (
    <article className="sb-int-sub" data-testid={`crm-${id}`}>
      <div className="sb-int-sub-head">
        <strong>
          {channel.name}{' '}
          {channel.displayPhoneNumber ? (
            <span className="sb-muted">+{channel.displayPhoneNumber}</span>
          ) : null}
        </strong>
        <span className="sb-muted" data-testid={`crm-${id}-state`}>
          {saved === undefined
            ? ''
            : saved === null
              ? t('int.crmOff')
              : saved.enabled
                ? t('int.crmOn')
                : t('int.crmPaused')}
        </span>
      </div>
      <form
        className="sb-int-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <select
          value={provider}
          onChange={(e) => {
            setProvider(e.target.value as Provider);
            setCredential('');
          }}
          aria-label={t('int.crmProvider')}
          data-testid={`crm-${id}-provider`}
        >
          <option value="hubspot">HubSpot</option>
          <option value="bitrix24">Bitrix24</option>
        </select>
        <select
          value={credential}
          onChange={(e) => setCredential(e.target.value)}
          aria-label={t('int.crmCredential')}
          data-testid={`crm-${id}-credential`}
        >
          <option value="">{t('int.crmPickCredential')}</option>
          {usable.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        {provider === 'hubspot' ? (
          <select
            value={logAs}
            onChange={(e) => setLogAs(e.target.value)}
            aria-label={t('int.crmLogAs')}
            data-testid={`crm-${id}-log-as`}
          >
            <option value="note">{t('int.crmNote')}</option>
            <option value="communication">{t('int.crmCommunication')}</option>
          </select>
        ) : (
          <span className="sb-muted">{t('int.crmComment')}</span>
        )}
        <label>
          <input
            type="checkbox"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
            data-testid={`crm-${id}-enabled`}
          />{' '}
          {t('int.crmEnabled')}
        </label>
        <button type="submit" className="sb-primary" disabled={!credential} data-testid={`crm-${id}-save`}>
          {t('int.save')}
        </button>
        {saved ? (
          <button type="button" onClick={remove} data-testid={`crm-${id}-remove`}>
            {t('int.crmStop')}
          </button>
        ) : null}
      </form>
      {usable.length === 0 ? <p className="sb-muted">{t('int.crmNoCredential', { provider })}</p> : null}
      {records.length > 0 ? (
        <>
          <div className="sb-int-tabs">
            <strong>{t('int.crmRecords')}</strong>
            {records.some((r) => r.status === 'dead') ? (
              <button type="button" onClick={replayAll} data-testid={`crm-${id}-replay-all`}>
                {t('int.replayAll')}
              </button>
            ) : null}
          </div>
          <table className="sb-table" data-testid={`crm-${id}-records`}>
            <tbody>
              {records.map((r) => (
                <tr key={r.id} data-testid="crm-record" data-status={r.status}>
                  <td>
                    {r.direction === 'in' ? '←' : '→'} +{r.waId}
                  </td>
                  <td className="sb-int-text">{r.text}</td>
                  <td>
                    <span className={`sb-badge is-${r.status}`}>{t(`int.status.${r.status}`)}</span>
                    {r.contactCreated ? (
                      <span className="sb-muted"> · {t('int.crmContactCreated')}</span>
                    ) : null}
                    {r.lastError ? <div className="sb-error">{r.lastError}</div> : null}
                  </td>
                  <td className="sb-muted">
                    <When iso={r.createdAt} /> · {t('int.attempts', { count: r.attempts })}
                  </td>
                  <td>
                    {r.status === 'dead' ? (
                      <button
                        type="button"
                        className="sb-link"
                        onClick={() => replay(r)}
                        data-testid="crm-record-replay"
                      >
                        {t('int.replay')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </article>
  );
}
