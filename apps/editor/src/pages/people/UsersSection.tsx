import { useState } from 'react';
import { api } from '../../api/client';
import { assignableRoles, canManageUser, isRole, type Role } from '../../auth/roles';
import { useAuth } from '../../auth/session';
import { t } from '../../i18n';
import type { Notice } from '../../store/editor';
import { RoleSelect, type Run, roleName, Section, useList, When } from './parts';

/** `GET /api/users`: never a password hash. */
interface UserItem {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: string;
  lastSignInAt: string | null;
}

export function UsersSection({ run }: { run: Run }) {
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
