import { AttemptLimiter } from '@portal/subgraph-kit';

/** Tenancy's attempt limiter (tenancy.attempt_counter): every check of a password goes through it. */
export const attemptLimiter = new AttemptLimiter('tenancy');

/** What a counted attempt is for; each purpose counts on its own. */
export const ATTEMPT_PURPOSE = {
  login: 'login',
  operatorLogin: 'operator-login',
  passwordChange: 'password-change',
} as const;
