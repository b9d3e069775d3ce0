import { type Config, errors } from '@catalog/domain';
import { clientAddressKey } from './client-address';
import type { LimiterStore } from './limiter-store';
import { refusal, retryAfterSeconds } from './retry-after';

export type SignInAttempt = {
  /** The password was right: the account's failures are forgotten and this attempt is not held against the address. */
  succeeded: () => Promise<void>;
};

export type SignInLimits = {
  /**
   * Counts an attempt against the account and the client address before the password is checked,
   * so parallel guesses cannot slip past the count; over either limit it throws 429
   * `too_many_attempts`, whether or not the account exists or the password is right.
   */
  begin: (email: string, ip: string) => Promise<SignInAttempt>;
};

type Settings = Pick<
  Config,
  'SIGN_IN_MAX_FAILURES_PER_ACCOUNT' | 'SIGN_IN_MAX_FAILURES_PER_ADDRESS' | 'SIGN_IN_WINDOW_MINUTES'
>;

export function createSignInLimits(store: LimiterStore, config: Settings): SignInLimits {
  const windowSeconds = config.SIGN_IN_WINDOW_MINUTES * 60;
  const perAccount = store.window({
    name: 'sign-in:account',
    points: config.SIGN_IN_MAX_FAILURES_PER_ACCOUNT,
    windowSeconds,
  });
  const perAddress = store.window({
    name: 'sign-in:address',
    points: config.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
    windowSeconds,
  });

  return {
    async begin(email, ip) {
      // Emails are compared ignoring case and surrounding spaces, as the users table does.
      const account = email.trim().toLowerCase();
      const address = clientAddressKey(ip);
      const outcomes = await Promise.allSettled([perAccount.consume(account), perAddress.consume(address)]);
      let waitMs: number | null = null;
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') continue;
        const refused = refusal(outcome.reason);
        if (!refused) throw outcome.reason;
        waitMs = Math.max(waitMs ?? 0, refused.msBeforeNext);
      }
      if (waitMs !== null) throw errors.tooManyAttempts(retryAfterSeconds(waitMs));
      return {
        succeeded: async () => {
          await Promise.all([perAccount.delete(account), perAddress.reward(address)]);
        },
      };
    },
  };
}
