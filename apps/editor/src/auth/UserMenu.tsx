import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { t } from '../i18n';
import { navigate } from '../router';
import { Field, FormError, NewPasswordFields, SubmitForm, useFormError } from './FormParts';
import { type FieldErrors, hasErrors, type PasswordChangeForm, passwordChangeErrors } from './forms';
import { can } from './roles';
import { signOut, useAuth } from './session';

/** The nav bar's menu: who is signed in and with which role, change password, People, sign out. */
export function UserMenu() {
  const user = useAuth((s) => s.user);
  const role = useAuth((s) => s.role);
  const via = useAuth((s) => s.via);
  const [open, setOpen] = useState(false);
  const [changing, setChanging] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const name = user?.name ?? t('user.apiKey');
  const roleLabel = role ? t(`role.${role}`) : '';
  const pick = (action: () => void) => () => {
    setOpen(false);
    action();
  };

  return (
    <div className="sb-user" ref={root}>
      <button
        type="button"
        className="sb-user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        data-testid="user-menu"
      >
        <span data-testid="user-name">{name}</span>
        {roleLabel ? (
          <span className="sb-user-role" data-testid="user-role">
            {roleLabel}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="sb-user-panel" role="menu">
          <div className="sb-user-who">
            <strong>{name}</strong>
            <span className="sb-muted">{user?.email ?? t('user.apiKeyHelp')}</span>
            {roleLabel ? <span className="sb-muted">{t('user.role', { role: roleLabel })}</span> : null}
          </div>
          {can(role, 'managePeople') ? (
            <button
              type="button"
              role="menuitem"
              onClick={pick(() => navigate('/people'))}
              data-testid="menu-people"
            >
              {t('people.title')}
            </button>
          ) : null}
          {via === 'session' ? (
            <button
              type="button"
              role="menuitem"
              onClick={pick(() => setChanging(true))}
              data-testid="menu-password"
            >
              {t('user.changePassword')}
            </button>
          ) : null}
          <button
            type="button"
            role="menuitem"
            onClick={pick(() => void signOut().then(() => navigate('/')))}
            data-testid="menu-sign-out"
          >
            {via === 'apiKey' ? t('user.forgetKey') : t('user.signOut')}
          </button>
        </div>
      ) : null}
      {changing ? <ChangePasswordDialog onClose={() => setChanging(false)} /> : null}
    </div>
  );
}

const EMPTY: PasswordChangeForm = { current: '', password: '', confirm: '' };

function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<FieldErrors<keyof PasswordChangeForm>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const failure = useFormError('password');

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const submit = async () => {
    const found = passwordChangeErrors(form);
    setErrors(found);
    failure.clear();
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      await api.post('/api/auth/password', { currentPassword: form.current, newPassword: form.password });
      setDone(true);
      setForm(EMPTY);
    } catch (error) {
      failure.setError(error);
    } finally {
      setBusy(false);
    }
  };

  const set = (field: keyof PasswordChangeForm) => (value: string) => setForm({ ...form, [field]: value });
  return (
    <div className="sb-modal-backdrop">
      <div
        className="sb-modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="sb-password-title"
        data-testid="password-dialog"
      >
        <h2 id="sb-password-title">{t('user.changePassword')}</h2>
        {done ? (
          <>
            <p role="status" data-testid="password-changed">
              {t('user.passwordChanged')}
            </p>
            <button type="button" className="sb-primary" onClick={onClose}>
              {t('common.close')}
            </button>
          </>
        ) : (
          <SubmitForm onSubmit={submit}>
            <Field
              label={t('user.currentPassword')}
              name="current"
              type="password"
              value={form.current}
              onChange={set('current')}
              error={errors.current}
              autoComplete="current-password"
              testId="password-current"
            />
            <NewPasswordFields
              label={t('user.newPassword')}
              value={form}
              errors={errors}
              set={set}
              testIds={{ password: 'password-new', confirm: 'password-confirm' }}
            />
            <FormError text={failure.error} />
            <div className="sb-modal-actions">
              <button type="button" onClick={onClose}>
                {t('common.cancel')}
              </button>
              <button type="submit" className="sb-primary" disabled={busy} data-testid="password-submit">
                {t('user.changePassword')}
              </button>
            </div>
          </SubmitForm>
        )}
      </div>
    </div>
  );
}
