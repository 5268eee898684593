/**
 * The GraphQL operations the GraphiQL page itself sends (besides what the user runs).
 *
 * The gateway's login schema is not final: when it changes, change LOGIN_MUTATION (and, if the
 * payload's shape changes, readLoginResult) here — nothing else in the page depends on it.
 */

/** Exchanges a login ID and password for a session token (sent as `Authorization: Bearer <token>`). */
export const LOGIN_MUTATION = `mutation GraphiqlLogin($loginId: String!, $password: String!) {
  login(input: { loginId: $loginId, password: $password }) {
    token
    userErrors { code message }
  }
}`;

/** Used only to show who a pasted token belongs to (the gateway's `Me.account.loginId`); failures are ignored. */
export const WHO_AM_I_QUERY = `query GraphiqlWhoAmI { me { account { loginId } } }`;

/** Revokes the session on the server when the user logs out (best effort; the token is dropped anyway). */
export const LOGOUT_MUTATION = `mutation GraphiqlLogout { logout { ok } }`;

export type LoginOutcome =
  | { ok: true; token: string }
  | { ok: false; message: string };

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: readonly { message?: unknown }[];
}

/** Reads the LOGIN_MUTATION response; also tolerates a `LoginSuccess | LoginFailure` union shape. */
export function readLoginResult(body: GraphQLResponse): LoginOutcome {
  const login = body.data?.['login'] as Record<string, unknown> | null | undefined;
  const token = login?.['token'];
  if (typeof token === 'string' && token.length > 0) return { ok: true, token };
  const userErrors = login?.['userErrors'];
  if (Array.isArray(userErrors) && userErrors.length > 0) {
    return { ok: false, message: userErrors.map(formatError).join(' / ') };
  }
  if (login && (typeof login['code'] === 'string' || typeof login['message'] === 'string')) {
    return { ok: false, message: formatError(login) };
  }
  if (body.errors?.length) {
    return { ok: false, message: body.errors.map((e) => String(e.message ?? 'error')).join(' / ') };
  }
  return { ok: false, message: 'ログインできませんでした / Login failed' };
}

function formatError(e: unknown): string {
  const o = (e ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof o.code === 'string' ? o.code : '';
  const message = typeof o.message === 'string' ? o.message : '';
  return code && message ? `${message} (${code})` : message || code || 'error';
}

/** Reads WHO_AM_I_QUERY's answer; null when it has none. */
export function readWhoAmI(body: GraphQLResponse): string | null {
  const me = body.data?.['me'] as { loginId?: unknown; account?: { loginId?: unknown } | null } | null | undefined;
  const loginId = me?.account?.loginId ?? me?.loginId;
  return typeof loginId === 'string' ? loginId : null;
}
