import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { assignableRoles, canManageUser, isRole, type Role } from '../auth/roles';
import { useAuth } from '../auth/session';
import { t, useLang } from '../i18n';
import { absoluteTime, relativeTime } from '../panels/history/format';
import { navigate } from '../router';
import { errorNotice, type Notice } from '../store/editor';
import '../auth/auth.css';

/** `GET /api/users`: never a password hash. */
interface UserItem {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: string;
  lastSignInAt: string | null;
}

/** `GET /api/invitations`: pending ones, never the token. */
interface InvitationItem {
  id: string;
  role: string;
  email: string | null;
  createdAt: string;
  expiresAt: string;
}

/** `GET /api/api-keys`: never the key. */
interface ApiKeyItem {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const items = <T,>(answer: { items: T[] } | T[]): T[] => (Array.isArray(answer) ? answer : answer.items);

/** Owners and admins: who has an account and with which role, invitation links, and API keys. */
export function PeoplePage() {
  const [notice, setNotice] = useState<Notice | null>(null);
  /** Runs an action; its notice (or its refusal) replaces the last one. Resolves to whether it worked. */
  const run = useCallback(async (action: () => Promise<Notice | null>): Promise<boolean> => {
    try {
      const done = await action();
      setNotice(done);
      return true;
    } catch (error) {
      setNotice(errorNotice(error));
      return false;
    }
  }, []);
  return (
    <div className="sb-page sb-people" data-testid="people-page">
      <header className="sb-page-head">
        <button type="button" className="sb-link" onClick={() => navigate('/')} data-testid="people-back">
          ← {t('editor.flows')}
        </button>
        <h1>{t('people.title')}</h1>
      </header>
      {notice ? (
        <div
          className={`sb-notice is-${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="people-notice"
        >
          <span>{notice.text}</span>
          <button type="button" className="sb-link" onClick={() => setNotice(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      ) : null}
      <UsersSection run={run} />
      <InvitationsSection run={run} />
      <ApiKeysSection run={run} />
    </div>
  );
}

type Run = (action: () => Promise<Notice | null>) => Promise<boolean>;

/** Loads a list, and again after each change; a refusal becomes the page's notice. */
function useList<T>(path: string, run: Run): { list: T[] | null; reload(): Promise<void> } {
  const [list, setList] = useState<T[] | null>(null);
  const reload = useCallback(async () => {
    await run(async () => {
      setList(items(await api.get<{ items: T[] } | T[]>(path)));
      return null;
    });
  }, [path, run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { list, reload };
}

function Section({ title, help, children }: { title: string; help: string; children: ReactNode }) {
  return (
    <section className="sb-people-section">
      <h2>{title}</h2>
      <p className="sb-muted">{help}</p>
      {children}
    </section>
  );
}

const roleName = (role: string) => (isRole(role) ? t(`role.${role}`) : role);

function RoleSelect({
  value,
  roles,
  onChange,
  label,
  testId,
  disabled,
}: {
  value: string;
  roles: readonly Role[];
  onChange(role: Role): void;
  label: string;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <select
      value={value}
      onChange={(e) => onChange(e.target.value as Role)}
      aria-label={label}
      data-testid={testId}
      disabled={disabled}
    >
      {roles.map((r) => (
        <option key={r} value={r}>
          {roleName(r)}
        </option>
      ))}
    </select>
  );
}

function When({ iso, never }: { iso: string | null; never?: string }) {
  const lang = useLang();
  if (!iso) return <span className="sb-muted">{never ?? '—'}</span>;
  return <span title={absoluteTime(iso, lang)}>{relativeTime(iso, Date.now(), lang)}</span>;
}

function UsersSection({ run }: { run: Run }) {
  const myId = useAuth((s) => s.user?.id ?? null);
  const myRole = useAuth((s) => s.role);
  const { list, reload } = useList<UserItem>('/api/users', run);
  const [busy, setBusy] = useState<string | null>(null);
  const roles = assignableRoles(myRole);

  const act = async (id: string, action: () => Promise<Notice | null>) => {
    setBusy(id);
    await run(action);
    await reload();
    setBusy(null);
  };
  const changeRole = (u: UserItem, role: Role) =>
    act(u.id, async () => {
      await api.patch(`/api/users/${encodeURIComponent(u.id)}`, { role });
      return { kind: 'info', text: t('people.roleChanged', { name: u.name, role: roleName(role) }) };
    });
  const remove = (u: UserItem) => {
    if (!window.confirm(t('people.confirmRemove', { name: u.name, email: u.email }))) return;
    void act(u.id, async () => {
      await api.delete(`/api/users/${encodeURIComponent(u.id)}`);
      return { kind: 'info', text: t('people.removed', { name: u.name }) };
    });
  };

  return (
    <Section title={t('people.users')} help={t('people.usersHelp')}>
      {list === null ? <p className="sb-muted">{t('common.loading')}</p> : null}
      {list && list.length > 0 ? (
        <table className="sb-table" data-testid="users-table">
          <tbody>
            {list.map((u) => {
              const manageable =
                isRole(u.role) && canManageUser({ id: myId, role: myRole }, { id: u.id, role: u.role });
              return (
                <tr key={u.id} data-testid={`user-row-${u.email}`}>
                  <td>
                    <strong>{u.name}</strong>
                    {u.id === myId ? <span className="sb-badge">{t('people.you')}</span> : null}
                    <div className="sb-muted">{u.email}</div>
                  </td>
                  <td>
                    {manageable ? (
                      <RoleSelect
                        value={u.role}
                        roles={roles.includes(u.role as Role) ? roles : [u.role as Role, ...roles]}
                        onChange={(role) => void changeRole(u, role)}
                        label={t('people.roleOf', { name: u.name })}
                        testId={`user-role-${u.email}`}
                        disabled={busy === u.id}
                      />
                    ) : (
                      <span className="sb-badge" data-testid={`user-role-${u.email}`}>
                        {roleName(u.role)}
                      </span>
                    )}
                  </td>
                  <td className="sb-muted">
                    {t('people.lastSignIn')} <When iso={u.lastSignInAt} never={t('people.never')} />
                  </td>
                  <td className="sb-row-actions">
                    {manageable ? (
                      <button
                        type="button"
                        disabled={busy === u.id}
                        onClick={() => remove(u)}
                        data-testid={`user-remove-${u.email}`}
                      >
                        {t('people.remove')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}

/** A secret or link shown once: a read-only field, a copy button, and what to do with it. */
function ShownOnce({
  value,
  warning,
  testId,
  onDone,
}: {
  value: string;
  warning: string;
  testId: string;
  onDone(): void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No clipboard permission (or not a secure context): select it, so Ctrl+C copies it.
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <div className="sb-once" data-testid={`${testId}-box`}>
      <p className="sb-once-warning">{warning}</p>
      <div className="sb-once-row">
        <input
          ref={input}
          readOnly
          value={value}
          onFocus={(e) => e.target.select()}
          aria-label={warning}
          data-testid={testId}
        />
        <button
          type="button"
          className="sb-primary"
          onClick={() => void copy()}
          data-testid={`${testId}-copy`}
        >
          {t('people.copy')}
        </button>
        <button type="button" onClick={onDone} data-testid={`${testId}-done`}>
          {t('people.done')}
        </button>
      </div>
      {copied === 'yes' ? <p className="sb-muted">{t('people.copied')}</p> : null}
      {copied === 'no' ? <p className="sb-muted">{t('people.copyManually')}</p> : null}
    </div>
  );
}

function InvitationsSection({ run }: { run: Run }) {
  const myRole = useAuth((s) => s.role);
  const roles = assignableRoles(myRole);
  const { list, reload } = useList<InvitationItem>('/api/invitations', run);
  const [role, setRole] = useState<Role>('builder');
  const [email, setEmail] = useState('');
  const [created, setCreated] = useState<{ url: string; role: Role } | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    const to = email.trim();
    await run(async () => {
      const answer = await api.post<{ url: string }>('/api/invitations', {
        role,
        ...(to ? { email: to } : {}),
      });
      setCreated({ url: answer.url, role });
      setEmail('');
      return null;
    });
    await reload();
    setBusy(false);
  };
  const revoke = (inv: InvitationItem) => {
    if (!window.confirm(t('people.confirmRevokeInvite'))) return;
    void run(async () => {
      await api.delete(`/api/invitations/${encodeURIComponent(inv.id)}`);
      return { kind: 'info', text: t('people.inviteRevoked') };
    }).then(() => reload());
  };

  return (
    <Section title={t('people.invitations')} help={t('people.invitationsHelp')}>
      <form
        className="sb-people-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <RoleSelect
          value={role}
          roles={roles}
          onChange={setRole}
          label={t('people.inviteRole')}
          testId="invite-role"
        />
        <input
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          placeholder={t('people.inviteEmail')}
          aria-label={t('people.inviteEmail')}
          data-testid="invite-email-limit"
        />
        <button type="submit" className="sb-primary" disabled={busy} data-testid="invite-create">
          {t('people.inviteCreate')}
        </button>
      </form>
      {created ? (
        <ShownOnce
          value={created.url}
          warning={t('people.inviteLinkHelp', { role: roleName(created.role) })}
          testId="invite-url"
          onDone={() => setCreated(null)}
        />
      ) : null}
      {list && list.length > 0 ? (
        <table className="sb-table" data-testid="invitations-table">
          <tbody>
            {list.map((inv) => (
              <tr key={inv.id} data-testid={`invitation-${inv.id}`}>
                <td>
                  <span className="sb-badge">{roleName(inv.role)}</span>
                  {inv.email ?? <span className="sb-muted">{t('people.anyEmail')}</span>}
                </td>
                <td className="sb-muted">
                  {t('people.expires')} <When iso={inv.expiresAt} />
                </td>
                <td className="sb-row-actions">
                  <button
                    type="button"
                    onClick={() => revoke(inv)}
                    data-testid={`invitation-revoke-${inv.id}`}
                  >
                    {t('people.revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : list ? (
        <p className="sb-muted">{t('people.noInvitations')}</p>
      ) : null}
    </Section>
  );
}

function ApiKeysSection({ run }: { run: Run }) {
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
