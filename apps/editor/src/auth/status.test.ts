import { describe, expect, it } from 'vitest';
import { type AuthStatus, phaseOf, roleOf } from './status';

const status = (over: Partial<AuthStatus>): AuthStatus => ({
  setupRequired: false,
  user: null,
  csrfToken: null,
  via: null,
  ...over,
});
const ana = { id: 'u1', email: 'ana@example.com', name: 'Ana', role: 'viewer' as const };

describe('which page the editor opens on', () => {
  it('asks for the owner account on first start', () => {
    expect(phaseOf(status({ setupRequired: true }))).toBe('setup');
  });

  it('asks to sign in when nobody is', () => {
    expect(phaseOf(status({}))).toBe('signIn');
  });

  it('opens the app for a session', () => {
    expect(phaseOf(status({ via: 'session', user: ana, csrfToken: 'c' }))).toBe('ready');
  });

  it('opens the app for an API key, even before the owner exists (automation, old links)', () => {
    expect(phaseOf(status({ via: 'apiKey', setupRequired: true }))).toBe('ready');
  });
});

describe('the role the editor works with', () => {
  it("is the user's", () => {
    expect(roleOf(status({ via: 'session', user: ana }))).toBe('viewer');
  });

  it("is the key's when the server says, else the owner's (the start-up key)", () => {
    expect(roleOf(status({ via: 'apiKey', role: 'builder' }))).toBe('builder');
    expect(roleOf(status({ via: 'apiKey' }))).toBe('owner');
    // A role this editor does not know grants nothing here (the server still decides).
    expect(roleOf(status({ via: 'apiKey', role: 'nonsense' }))).toBeNull();
  });

  it('is none when nobody is signed in', () => {
    expect(roleOf(status({}))).toBeNull();
  });
});
