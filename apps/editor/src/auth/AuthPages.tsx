import { useEffect, useState } from 'react';
import { ApiError, api } from '../api/client';
import { apiKey } from '../api/key';
import { t } from '../i18n';
import { navigate } from '../router';
import { AuthCard, Field, FormError, NewPasswordFields, SubmitForm, useFormError } from './FormParts';
import {
  type AccountForm,
  accountErrors,
  type FieldErrors,
  hasErrors,
  inviteToken,
  setupCodeError,
  setupCodeInput,
  signInErrors,
} from './forms';
import { isRole } from './roles';
import { loadStatus, signedIn } from './session';
import { setupCode } from './setup-code';
import type { SignedIn } from './status';

const EMPTY_ACCOUNT: AccountForm = { name: '', email: '', password: '', confirm: '' };

/** The account fields shared by the first start and an invitation. */
function AccountFields({
  form,
  errors,
  onChange,
  prefix,
  emailLocked = false,
}: {
  form: AccountForm;
  errors: FieldErrors<keyof AccountForm>;
  onChange(form: AccountForm): void;
  prefix: string;
  emailLocked?: boolean;
}) {
  const set = (field: keyof AccountForm) => (value: string) => onChange({ ...form, [field]: value });
  return (
    <>
      <Field
        label={t('form.name')}
        name="name"
        value={form.name}
        onChange={set('name')}
        error={errors.name}
        autoComplete="name"
        testId={`${prefix}-name`}
      />
      <Field
        label={t('form.email')}
        name="email"
        type="email"
        value={form.email}
        onChange={set('email')}
        error={errors.email}
        autoComplete="email"
        readOnly={emailLocked}
        testId={`${prefix}-email`}
      />
      <NewPasswordFields
        label={t('form.password')}
        value={form}
        errors={errors}
        set={set}
        testIds={{ password: `${prefix}-password`, confirm: `${prefix}-confirm` }}
      />
    </>
  );
}

/**
 * First start: nobody has an account yet. Creating the owner takes the one-time setup code the server
 * printed when it started: it comes with the link (`/setup#<code>`, see setup-code.ts), or is typed
 * into a field when the page was opened without it (or the server refused the one from the link).
 */
export function SetupPage() {
  const [fromLink] = useState(() => setupCode.get());
  const [code, setCode] = useState(fromLink ?? '');
  const [askCode, setAskCode] = useState(!fromLink);
  const [codeError, setCodeError] = useState<string | undefined>(undefined);
  const [form, setForm] = useState(EMPTY_ACCOUNT);
  const [errors, setErrors] = useState<FieldErrors<keyof AccountForm>>({});
  const [busy, setBusy] = useState(false);
  const failure = useFormError();

  const submit = async () => {
    const found = accountErrors(form);
    const missing = askCode ? setupCodeError(code) : null;
    setErrors(found);
    setCodeError(missing ?? undefined);
    failure.clear();
    if (hasErrors(found) || missing) return;
    setBusy(true);
    try {
      const answer = await api.post<SignedIn>('/api/auth/setup', {
        setupCode: setupCodeInput(code),
        email: form.email.trim(),
        name: form.name.trim(),
        password: form.password,
      });
      setupCode.clear();
      signedIn(answer);
    } catch (error) {
      failure.setError(error);
      if (error instanceof ApiError && error.code === 'setup_code') {
        // The link's code is not (or no longer) right, e.g. the server was restarted: ask for the new one.
        setupCode.clear();
        if (!askCode) setCode('');
        setAskCode(true);
      } else {
        // Someone else finished the setup meanwhile: the sign-in page is next.
        void loadStatus();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('setup.title')} testId="setup-page">
      <p className="sb-muted">{t('setup.help')}</p>
      <SubmitForm onSubmit={submit}>
        {askCode ? (
          <Field
            label={t('setup.code')}
            name="setupCode"
            value={code}
            onChange={setCode}
            error={codeError}
            hint={t('setup.codeHint')}
            autoComplete="off"
            testId="setup-code"
          />
        ) : null}
        <AccountFields form={form} errors={errors} onChange={setForm} prefix="setup" />
        <button
          type="submit"
          className="sb-primary"
          disabled={busy || failure.waiting}
          data-testid="setup-submit"
        >
          {busy ? t('setup.creating') : t('setup.submit')}
        </button>
        <FormError text={failure.error} />
      </SubmitForm>
    </AuthCard>
  );
}

/** Email and password; or, for automation and old links, an API key. */
export function SignInPage() {
  const [withKey, setWithKey] = useState(false);
  return withKey ? (
    <KeyForm onBack={() => setWithKey(false)} />
  ) : (
    <PasswordForm onKey={() => setWithKey(true)} />
  );
}

function PasswordForm({ onKey }: { onKey(): void }) {
  const [form, setForm] = useState({ email: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors<'email' | 'password'>>({});
  const [busy, setBusy] = useState(false);
  const failure = useFormError();

  const submit = async () => {
    const found = signInErrors(form);
    setErrors(found);
    if (hasErrors(found)) return;
    failure.clear();
    setBusy(true);
    try {
      signedIn(
        await api.post<SignedIn>('/api/auth/sign-in', { email: form.email.trim(), password: form.password }),
      );
    } catch (error) {
      failure.setError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('signIn.title')} testId="sign-in-page">
      <SubmitForm onSubmit={submit}>
        <Field
          label={t('form.email')}
          name="email"
          type="email"
          value={form.email}
          onChange={(email) => setForm({ ...form, email })}
          error={errors.email}
          autoComplete="username"
          testId="sign-in-email"
        />
        <Field
          label={t('form.password')}
          name="password"
          type="password"
          value={form.password}
          onChange={(password) => setForm({ ...form, password })}
          error={errors.password}
          autoComplete="current-password"
          testId="sign-in-password"
        />
        <button
          type="submit"
          className="sb-primary"
          disabled={busy || failure.waiting}
          data-testid="sign-in-submit"
        >
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
        <FormError text={failure.error} />
      </SubmitForm>
      <p className="sb-muted sb-auth-foot">
        {t('signIn.forgot')}{' '}
        <button type="button" className="sb-link" onClick={onKey} data-testid="use-api-key">
          {t('signIn.useKey')}
        </button>
      </p>
    </AuthCard>
  );
}

/** The API-key way in, as before accounts: the key is kept in this browser and sent as Bearer. */
function KeyForm({ onBack }: { onBack(): void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    apiKey.set(key);
    const status = await loadStatus();
    if (status?.via !== 'apiKey') {
      apiKey.clear();
      setError(t('signIn.keyRefused'));
    }
  };
  return (
    <AuthCard title={t('signIn.keyTitle')} testId="key-page">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="sb-muted">{t('app.keyHelp')}</p>
        <input
          type="password"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder={t('app.keyPlaceholder')}
          aria-label={t('app.keyPlaceholder')}
          autoComplete="off"
          data-testid="api-key"
        />
        <button type="submit" className="sb-primary" disabled={!key.trim()}>
          {t('app.signIn')}
        </button>
        <FormError text={error} />
      </form>
      <p className="sb-auth-foot">
        <button type="button" className="sb-link" onClick={onBack} data-testid="use-password">
          {t('signIn.usePassword')}
        </button>
      </p>
    </AuthCard>
  );
}

/** `POST /api/invitations/lookup`: what the invitation is for, before anyone types anything. */
interface InvitationInfo {
  role: string;
  email: string | null;
  expiresAt?: string;
  invitedBy?: string | null;
}

/** `/invite#<token>`: shows what the invitation grants, then creates the account and signs in. */
export function InvitePage() {
  const [token] = useState(() => inviteToken(window.location.pathname, window.location.hash));
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [form, setForm] = useState(EMPTY_ACCOUNT);
  const [errors, setErrors] = useState<FieldErrors<keyof AccountForm>>({});
  const [busy, setBusy] = useState(false);
  const failure = useFormError('invitation');

  useEffect(() => {
    if (!token) return;
    let live = true;
    api
      .post<InvitationInfo>('/api/invitations/lookup', { token })
      .then((found) => {
        if (!live) return;
        setInfo(found);
        if (found.email) setForm((f) => ({ ...f, email: found.email ?? '' }));
      })
      .catch((error: unknown) => {
        if (live) setLookupError(errorTextOrInvalid(error));
      });
    return () => {
      live = false;
    };
  }, [token]);

  const submit = async () => {
    const found = accountErrors(form);
    setErrors(found);
    failure.clear();
    if (hasErrors(found) || !token) return;
    setBusy(true);
    try {
      const answer = await api.post<SignedIn>('/api/invitations/accept', {
        token,
        email: form.email.trim(),
        name: form.name.trim(),
        password: form.password,
      });
      signedIn(answer);
      navigate('/');
    } catch (error) {
      failure.setError(error);
    } finally {
      setBusy(false);
    }
  };

  if (!token || lookupError) {
    return (
      <AuthCard title={t('invite.title')} testId="invite-page">
        <p className="sb-error" data-testid="invite-invalid">
          {lookupError ?? t('invite.invalid')}
        </p>
        <button type="button" onClick={() => navigate('/')}>
          {t('invite.toSignIn')}
        </button>
      </AuthCard>
    );
  }
  if (!info) {
    return (
      <AuthCard title={t('invite.title')} testId="invite-page">
        <p className="sb-muted">{t('common.loading')}</p>
      </AuthCard>
    );
  }
  const role = isRole(info.role) ? t(`role.${info.role}`) : info.role;
  return (
    <AuthCard title={t('invite.title')} testId="invite-page">
      <p data-testid="invite-summary">
        {info.email ? t('invite.summaryFor', { role, email: info.email }) : t('invite.summary', { role })}
      </p>
      {isRole(info.role) ? <p className="sb-muted">{t(`role.${info.role}.help`)}</p> : null}
      <SubmitForm onSubmit={submit}>
        <AccountFields
          form={form}
          errors={errors}
          onChange={setForm}
          prefix="invite"
          emailLocked={!!info.email}
        />
        <button
          type="submit"
          className="sb-primary"
          disabled={busy || failure.waiting}
          data-testid="invite-submit"
        >
          {busy ? t('setup.creating') : t('invite.submit')}
        </button>
        <FormError text={failure.error} />
      </SubmitForm>
    </AuthCard>
  );
}

function errorTextOrInvalid(error: unknown): string {
  if (error instanceof TypeError) return t('auth.offline');
  return t('invite.invalid');
}
