import { type ReactNode, useCallback, useEffect, useId, useState } from 'react';
import { ApiError } from '../api/client';
import { t } from '../i18n';
import { LangSwitch } from '../ui/LangSwitch';
import { authErrorKey } from './errors';
import './auth.css';

/** The centred card of the pages shown before the editor: first start, sign-in, invitation. */
export function AuthCard({
  title,
  testId,
  children,
}: {
  title: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <main className="sb-auth" data-testid={testId}>
      <div className="sb-auth-card">
        <div className="sb-auth-brand">
          <span>Switchboard</span>
          <LangSwitch />
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

interface FieldProps {
  label: string;
  name: string;
  value: string;
  onChange(value: string): void;
  /** The key of the message to show under the field (from forms.ts), when it is in error. */
  error?: string | undefined;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  hint?: string;
  readOnly?: boolean;
  testId: string;
}

/** A labelled input with its hint and its error under it (announced, and tied to it for screen readers). */
export function Field({
  label,
  name,
  value,
  onChange,
  error,
  type = 'text',
  autoComplete,
  hint,
  readOnly,
  testId,
}: FieldProps) {
  const id = useId();
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="sb-auth-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        readOnly={readOnly}
        data-testid={testId}
      />
      {error ? (
        <span id={`${id}-error`} className="sb-error" data-testid={`${testId}-error`}>
          {t(error)}
        </span>
      ) : hint ? (
        <span id={`${id}-hint`} className="sb-muted">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** A form checked by our own rules (no browser bubbles) that runs `onSubmit` instead of loading a page. */
export function SubmitForm({ onSubmit, children }: { onSubmit(): Promise<void>; children: ReactNode }) {
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** A new password (with the rules as its hint) and its confirmation, both `new-password` for password managers. */
export function NewPasswordFields({
  label,
  value,
  errors,
  set,
  testIds,
}: {
  label: string;
  value: { password: string; confirm: string };
  errors: { password?: string | undefined; confirm?: string | undefined };
  set(field: 'password' | 'confirm'): (value: string) => void;
  testIds: { password: string; confirm: string };
}) {
  return (
    <>
      <Field
        label={label}
        name="password"
        type="password"
        value={value.password}
        onChange={set('password')}
        error={errors.password}
        hint={t('form.passwordHint')}
        autoComplete="new-password"
        testId={testIds.password}
      />
      <Field
        label={t('form.confirm')}
        name="confirm"
        type="password"
        value={value.confirm}
        onChange={set('confirm')}
        error={errors.confirm}
        autoComplete="new-password"
        testId={testIds.confirm}
      />
    </>
  );
}

/** The message for a refused account request, in the reader's language when it is a known refusal. */
export function authErrorText(error: unknown, context?: Parameters<typeof authErrorKey>[1]): string {
  const known = authErrorKey(error, context);
  if (known) return t(known.key, known.vars);
  // A refused field (the server checks again): its own words, field by field.
  if (error instanceof ApiError && error.problems.length > 0) {
    return error.problems.map((p) => p.message).join(' · ');
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The form-wide error (under the button). A 429 counts down its `Retry-After`, and `waiting` tells the
 * form to keep its button disabled until then.
 */
export function useFormError(context?: Parameters<typeof authErrorKey>[1]): {
  error: string | null;
  waiting: boolean;
  setError(error: unknown): void;
  clear(): void;
} {
  const [state, setState] = useState<{ error: unknown; until: number | null } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const until = state?.until ?? null;
  useEffect(() => {
    if (until === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [until]);
  const setError = useCallback((error: unknown) => {
    const retryAfter = error instanceof ApiError && error.status === 429 ? error.retryAfter : null;
    setNow(Date.now());
    setState({ error, until: retryAfter !== null ? Date.now() + retryAfter * 1000 : null });
  }, []);
  const clear = useCallback(() => setState(null), []);
  if (!state) return { error: null, waiting: false, setError, clear };
  const left = until === null ? 0 : Math.ceil((until - now) / 1000);
  let error: string;
  if (until === null) error = authErrorText(state.error, context);
  else error = left > 0 ? t('auth.tooManyIn', { seconds: left }) : t('auth.tryAgainNow');
  return { error, waiting: left > 0, setError, clear };
}

export function FormError({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="sb-error" role="alert" data-testid="auth-error">
      {text}
    </p>
  );
}
