import { useState } from 'react';
import { api } from '../../api/client';
import { assignableRoles, type Role } from '../../auth/roles';
import { useAuth } from '../../auth/session';
import { t } from '../../i18n';
import { RoleSelect, type Run, roleName, Section, ShownOnce, useList, When } from './parts';

/** `GET /api/invitations`: pending ones, never the token. */
interface InvitationItem {
  id: string;
  role: string;
  email: string | null;
  createdAt: string;
  expiresAt: string;
}

export function InvitationsSection({ run }: { run: Run }) {
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
