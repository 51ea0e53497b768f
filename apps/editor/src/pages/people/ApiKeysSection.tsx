import { useState } from 'react';
import { api } from '../../api/client';
import { assignableRoles, type Role } from '../../auth/roles';
import { useAuth } from '../../auth/session';
import { t } from '../../i18n';
import { RoleSelect, type Run, roleName, Section, ShownOnce, useList, When } from './parts';

/** `GET /api/api-keys`: never the key. */
interface ApiKeyItem {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export function ApiKeysSection({ run }: { run: Run }) {
  const myRole = useAuth((s) => s.role);
  const roles = assignableRoles(myRole);
  const { list, reload } = useList<ApiKeyItem>('/api/api-keys', run);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('builder');
  const [created, setCreated] = useState<string | null>(null);
  const [nameError, setNameError] = useState(false);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    if (!name.trim()) {
      setNameError(true);
      return;
    }
    setNameError(false);
    setBusy(true);
    await run(async () => {
      const answer = await api.post<{ key: string }>('/api/api-keys', { name: name.trim(), role });
      setCreated(answer.key);
      setName('');
      return null;
    });
    await reload();
    setBusy(false);
  };
  const revoke = (key: ApiKeyItem) => {
    if (!window.confirm(t('people.confirmRevokeKey', { name: key.name }))) return;
    void run(async () => {
      await api.delete(`/api/api-keys/${encodeURIComponent(key.id)}`);
      return { kind: 'info', text: t('people.keyRevoked', { name: key.name }) };
    }).then(() => reload());
  };

  return (
    <Section title={t('people.apiKeys')} help={t('people.apiKeysHelp')}>
      <form
        className="sb-people-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={t('people.keyName')}
          aria-label={t('people.keyName')}
          aria-invalid={nameError || undefined}
          maxLength={100}
          data-testid="key-name"
        />
        <RoleSelect
          value={role}
          roles={roles}
          onChange={setRole}
          label={t('people.keyRole')}
          testId="key-role"
        />
        <button type="submit" className="sb-primary" disabled={busy} data-testid="key-create">
          {t('people.keyCreate')}
        </button>
      </form>
      {nameError ? (
        <p className="sb-error" data-testid="key-name-error">
          {t('people.keyNameRequired')}
        </p>
      ) : null}
      {created ? (
        <ShownOnce
          value={created}
          warning={t('people.keyShownOnce')}
          testId="new-key"
          onDone={() => setCreated(null)}
        />
      ) : null}
      {list && list.length > 0 ? (
        <table className="sb-table" data-testid="keys-table">
          <tbody>
            {list.map((k) => (
              <tr key={k.id} data-testid={`key-row-${k.id}`}>
                <td>
                  <strong>{k.name}</strong>
                  <div className="sb-muted">
                    <code>{k.id}</code>
                  </div>
                </td>
                <td>
                  <span className="sb-badge">{roleName(k.role)}</span>
                </td>
                <td className="sb-muted">
                  {t('people.created')} <When iso={k.createdAt} /> · {t('people.lastUsed')}{' '}
                  <When iso={k.lastUsedAt} never={t('people.never')} />
                </td>
                <td className="sb-row-actions">
                  <button type="button" onClick={() => revoke(k)} data-testid={`key-revoke-${k.id}`}>
                    {t('people.revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : list ? (
        <p className="sb-muted">{t('people.noKeys')}</p>
      ) : null}
    </Section>
  );
}
