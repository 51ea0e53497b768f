/**
 * The account forms' checks, before anything is sent: each answers the fields in error with the key of
 * the message to show (translated by the form), so a person sees every mistake at once, beside its
 * field. The server checks again; its refusals are shown too.
 */

/** The server's minimum, repeated here so the form can say it before sending. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;
const MAX_NAME_LENGTH = 100;
/** Something@something.something, no spaces: the server does the real check. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export function emailError(email: string): string | null {
  const v = email.trim();
  if (!v) return 'form.emailRequired';
  if (!EMAIL.test(v) || v.length > 254) return 'form.emailInvalid';
  return null;
}

export function nameError(name: string): string | null {
  const v = name.trim();
  if (!v) return 'form.nameRequired';
  if (v.length > MAX_NAME_LENGTH) return 'form.nameTooLong';
  return null;
}

/** A new password: long enough, not absurdly long, and typed the same twice. */
export function newPasswordErrors(password: string, confirm: string): FieldErrors<'password' | 'confirm'> {
  const errors: FieldErrors<'password' | 'confirm'> = {};
  if (password.length < MIN_PASSWORD_LENGTH) errors.password = 'form.passwordTooShort';
  else if (password.length > MAX_PASSWORD_LENGTH) errors.password = 'form.passwordTooLong';
  else if (password !== confirm) errors.confirm = 'form.passwordsDiffer';
  return errors;
}

function collect<K extends string>(entries: [K, string | null][]): FieldErrors<K> {
  const errors: FieldErrors<K> = {};
  for (const [field, error] of entries) if (error) errors[field] = error;
  return errors;
}

export interface AccountForm {
  email: string;
  name: string;
  password: string;
  confirm: string;
}

/** The owner's account on first start, and an invited person's. */
export function accountErrors(form: AccountForm): FieldErrors<keyof AccountForm> {
  return {
    ...collect<keyof AccountForm>([
      ['name', nameError(form.name)],
      ['email', emailError(form.email)],
    ]),
    ...newPasswordErrors(form.password, form.confirm),
  };
}

export function signInErrors(form: { email: string; password: string }): FieldErrors<'email' | 'password'> {
  return collect<'email' | 'password'>([
    ['email', emailError(form.email)],
    ['password', form.password ? null : 'form.passwordRequired'],
  ]);
}

export interface PasswordChangeForm {
  current: string;
  password: string;
  confirm: string;
}

export function passwordChangeErrors(form: PasswordChangeForm): FieldErrors<keyof PasswordChangeForm> {
  const errors: FieldErrors<keyof PasswordChangeForm> = newPasswordErrors(form.password, form.confirm);
  if (!form.current) errors.current = 'form.currentRequired';
  else if (!errors.password && form.password === form.current) errors.password = 'form.passwordSame';
  return errors;
}

export function hasErrors(errors: object): boolean {
  return Object.keys(errors).length > 0;
}

/**
 * The invitation token of `/invite#<token>`: the fragment is never sent to the server, nor kept in its
 * logs or in a Referer. Null elsewhere, or when the fragment is empty.
 */
export function inviteToken(pathname: string, hash: string): string | null {
  if (pathname.replace(/\/+$/, '') !== '/invite') return null;
  const raw = hash.replace(/^#/, '').replace(/^token=/, '');
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The setup code of `/setup#<code>`, the link the server prints on a start with no owner yet: the
 * fragment is never sent to the server, nor kept in its logs or in a Referer. Null elsewhere, or when
 * the fragment is empty.
 */
export function setupCodeFromUrl(pathname: string, hash: string): string | null {
  if (pathname.replace(/\/+$/, '') !== '/setup') return null;
  const raw = hash.replace(/^#/, '').replace(/^code=/, '');
  return raw ? setupCodeInput(raw) || null : null;
}

/** What was typed or pasted into the setup code field: the code, also when the whole link was pasted. */
export function setupCodeInput(value: string): string {
  let code = value.trim();
  const hash = code.indexOf('#');
  if (hash >= 0) code = code.slice(hash + 1).replace(/^code=/, '');
  try {
    return decodeURIComponent(code).trim();
  } catch {
    return code;
  }
}

export function setupCodeError(value: string): string | null {
  return setupCodeInput(value) ? null : 'form.setupCodeRequired';
}
