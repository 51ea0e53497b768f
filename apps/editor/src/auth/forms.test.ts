import { describe, expect, it } from 'vitest';
import {
  accountErrors,
  emailError,
  hasErrors,
  inviteToken,
  MIN_PASSWORD_LENGTH,
  newPasswordErrors,
  passwordChangeErrors,
  setupCodeError,
  setupCodeFromUrl,
  setupCodeInput,
  signInErrors,
} from './forms';

const good = {
  name: 'Ana Pérez',
  email: 'ana@example.com',
  password: 'correct horse',
  confirm: 'correct horse',
};

describe('the account form', () => {
  it('takes a name, an address and a password of 10 characters typed twice', () => {
    expect(accountErrors(good)).toEqual({});
    expect(hasErrors(accountErrors(good))).toBe(false);
  });

  it('says every mistake at once, each beside its field', () => {
    expect(accountErrors({ name: ' ', email: 'ana', password: 'short', confirm: '' })).toEqual({
      name: 'form.nameRequired',
      email: 'form.emailInvalid',
      password: 'form.passwordTooShort',
    });
  });

  it('needs at least 10 characters, counted as typed', () => {
    const nine = 'a'.repeat(MIN_PASSWORD_LENGTH - 1);
    const ten = 'a'.repeat(MIN_PASSWORD_LENGTH);
    expect(newPasswordErrors(nine, nine)).toEqual({ password: 'form.passwordTooShort' });
    expect(newPasswordErrors(ten, ten)).toEqual({});
    expect(newPasswordErrors('a'.repeat(201), 'a'.repeat(201))).toEqual({ password: 'form.passwordTooLong' });
  });

  it('catches two different passwords on the second field', () => {
    expect(newPasswordErrors('correct horse', 'correct hose')).toEqual({ confirm: 'form.passwordsDiffer' });
  });

  it('checks addresses loosely (the server checks for real)', () => {
    expect(emailError('')).toBe('form.emailRequired');
    expect(emailError('  ana@example.com ')).toBeNull();
    expect(emailError('ana@example')).toBe('form.emailInvalid');
    expect(emailError('ana example@x.io')).toBe('form.emailInvalid');
  });
});

describe('the sign-in form', () => {
  it('needs an address and a password, of any length (old passwords stay valid)', () => {
    expect(signInErrors({ email: 'ana@example.com', password: 'x' })).toEqual({});
    expect(signInErrors({ email: '', password: '' })).toEqual({
      email: 'form.emailRequired',
      password: 'form.passwordRequired',
    });
  });
});

describe('changing the password', () => {
  it('needs the current one and a different new one', () => {
    expect(
      passwordChangeErrors({ current: '', password: 'new password 1', confirm: 'new password 1' }),
    ).toEqual({
      current: 'form.currentRequired',
    });
    expect(
      passwordChangeErrors({ current: 'same password', password: 'same password', confirm: 'same password' }),
    ).toEqual({ password: 'form.passwordSame' });
    expect(
      passwordChangeErrors({
        current: 'old password',
        password: 'new password 1',
        confirm: 'new password 1',
      }),
    ).toEqual({});
  });
});

describe('the invitation link', () => {
  it('carries its token in the fragment of /invite', () => {
    expect(inviteToken('/invite', '#abc_DEF-123')).toBe('abc_DEF-123');
    expect(inviteToken('/invite/', '#token=abc')).toBe('abc');
    expect(inviteToken('/invite', '#a%2Bb')).toBe('a+b');
  });

  it('is no invitation elsewhere or without a token', () => {
    expect(inviteToken('/', '#abc')).toBeNull();
    expect(inviteToken('/invite', '')).toBeNull();
    expect(inviteToken('/invite', '#')).toBeNull();
  });
});

describe('the setup code', () => {
  it('comes from the fragment of the link the server prints', () => {
    expect(setupCodeFromUrl('/setup', '#abc_DEF-123')).toBe('abc_DEF-123');
    expect(setupCodeFromUrl('/setup/', '#code=abc')).toBe('abc');
  });

  it('is none elsewhere or without a fragment', () => {
    expect(setupCodeFromUrl('/', '#abc')).toBeNull();
    expect(setupCodeFromUrl('/invite', '#abc')).toBeNull();
    expect(setupCodeFromUrl('/setup', '')).toBeNull();
    expect(setupCodeFromUrl('/setup', '#')).toBeNull();
  });

  it('is taken from a pasted link too, and is required when typed', () => {
    expect(setupCodeInput('  abc_DEF-123 ')).toBe('abc_DEF-123');
    expect(setupCodeInput('http://localhost:3000/setup#abc_DEF-123')).toBe('abc_DEF-123');
    expect(setupCodeError(' ')).toBe('form.setupCodeRequired');
    expect(setupCodeError('http://localhost:3000/setup#')).toBe('form.setupCodeRequired');
    expect(setupCodeError('abc')).toBeNull();
  });
});
