import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { authErrorKey } from './errors';

describe('messages for refused account requests', () => {
  it('name a wrong password without saying which part was wrong', () => {
    expect(authErrorKey(new ApiError(401, 'invalid_credentials', 'bad'))).toEqual({
      key: 'auth.invalidCredentials',
    });
  });

  it('say how long to wait after too many attempts', () => {
    expect(authErrorKey(new ApiError(429, 'too_many_attempts', 'wait', [], 30))).toEqual({
      key: 'auth.tooManyIn',
      vars: { seconds: 30 },
    });
    expect(authErrorKey(new ApiError(429, 'too_many_attempts', 'wait'))).toEqual({ key: 'auth.tooMany' });
  });

  it('explain a dead invitation link', () => {
    expect(authErrorKey(new ApiError(410, 'invitation_gone', 'used'))).toEqual({ key: 'invite.invalid' });
    expect(authErrorKey(new ApiError(404, 'not_found', 'unknown'), 'invitation')).toEqual({
      key: 'invite.invalid',
    });
    expect(authErrorKey(new ApiError(400, 'email_mismatch', 'other address'))).toEqual({
      key: 'invite.emailMismatch',
    });
  });

  it('say where the setup code is when it is missing or wrong', () => {
    expect(authErrorKey(new ApiError(403, 'setup_code', 'printed at start'))).toEqual({
      key: 'auth.setupCode',
    });
  });

  it('call a wrong current password that, not a wrong sign-in', () => {
    expect(authErrorKey(new ApiError(403, 'invalid_credentials', 'no'), 'password')).toEqual({
      key: 'auth.wrongCurrentPassword',
    });
  });

  it('count the general request budget as too many attempts too', () => {
    expect(authErrorKey(new ApiError(429, 'rate_limited', 'slow', [], 3))).toEqual({
      key: 'auth.tooManyIn',
      vars: { seconds: 3 },
    });
  });

  it('say the server is unreachable when fetch fails', () => {
    expect(authErrorKey(new TypeError('Failed to fetch'))).toEqual({ key: 'auth.offline' });
  });

  it("leave other refusals to the server's message", () => {
    expect(authErrorKey(new ApiError(400, 'invalid_request', 'the name is too long'))).toBeNull();
    expect(authErrorKey(new Error('boom'))).toBeNull();
  });
});
