import type { AuthContext } from './context.js';
import { randomToken, safeEqual, sha256 } from './tokens.js';

/** What `checkSetupCode` found: the code is right, or why the attempt is refused. */
export type SetupCodeResult =
  | { ok: true }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'missing' | 'wrong' };

/** The first owner's one-time setup code. */
export class SetupCode {
  /**
   * The sha256 of the one-time setup code while the owner sign-up is open (see `open`); undefined
   * when none was made, once the owner exists, or after a restart made a new one.
   */
  private hash: string | undefined;

  constructor(private readonly ctx: AuthContext) {}

  /**
   * Makes the one-time setup code that `POST /api/auth/setup` asks for while there are no users, and
   * returns it, this once, for the start to print on the terminal (undefined once a user exists). A new
   * call replaces the previous code.
   *
   * Only its sha256 is kept, and only in memory, on purpose: every start with no users prints a fresh
   * link, so a restart before setup still works (the new link is in the output of that start, which is
   * where the refusal tells people to look); no secret is left at rest in the data dir (nor in its
   * backups) to be cleaned up or to outlive the setup; and a link that leaked into scrollback or a CI log
   * stops working when the process that printed it ends. The code is 24 random bytes (192 bits), so the
   * plain sha256 is enough: it cannot be guessed, and the sign-in throttle limits tries per IP anyway.
   */
  open(setupRequired: boolean): string | undefined {
    if (!setupRequired) {
      this.hash = undefined;
      return undefined;
    }
    const code = randomToken(24);
    this.hash = sha256(code);
    return code;
  }

  /** Forgets the setup code (the owner exists): it can never be used again. */
  close(): void {
    this.hash = undefined;
  }

  /**
   * Checks a setup code in constant time, throttled per client IP by the sign-in throttle (a wrong or
   * missing code counts as a failed attempt). Logs refusals at warn, with the IP, never the code.
   */
  check(given: string | undefined, ip: string | undefined): SetupCodeResult {
    const { throttle, logger } = this.ctx;
    const keys = [`ip:${ip ?? 'unknown'}`];
    const wait = throttle.wait(keys, this.ctx.now());
    if (wait > 0) {
      const retryAfterSeconds = Math.ceil(wait / 1000);
      logger.warn({ ip, retryAfterSeconds }, 'owner setup refused: too many failed attempts');
      return { ok: false, reason: 'throttled', retryAfterSeconds };
    }
    // Hashed first, so the comparison is of two equally long digests whatever was sent.
    const digest = sha256(given ?? '');
    const matches = !!given && this.hash !== undefined && safeEqual(digest, this.hash);
    if (matches) return { ok: true };
    const failures = throttle.fail(keys, this.ctx.now());
    const reason = given ? 'wrong' : 'missing';
    logger.warn({ ip, failures, reason }, 'owner setup refused: no valid setup code');
    return { ok: false, reason };
  }
}
