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
    userErrors { code message messageJa }
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

/** "日本語 / English (CODE)": the bar is read by Japanese members and by partners, like every user-facing error. */
function formatError(e: unknown): string {
  const o = (e ?? {}) as { code?: unknown; message?: unknown; messageJa?: unknown };
  const code = typeof o.code === 'string' ? o.code : '';
  const en = typeof o.message === 'string' ? o.message : '';
  const ja = typeof o.messageJa === 'string' && o.messageJa !== en ? o.messageJa : '';
  const message = [ja, en].filter(Boolean).join(' / ');
  return code && message ? `${message} (${code})` : message || code || 'error';
}

/**
 * What the editor shows on a first visit instead of GraphiQL's stock welcome text: log in, then who
 * am I and the invoice the member acts on now. Comments in both languages; the login is the demo's
 * (`npm start`), whose password is printed by `npm start` and in the README.
 */
export const STARTER_DOCUMENT = `# 法人WEBシステム API / Corporate Tenant Portal API
#
# 1. 上のバーでログインします（npm start のデモ: demo-clerk）。
#    Log in with the bar above (npm start's demo: demo-clerk).
#    または Login を実行して token をバーに貼り付けます。
#    Or run Login below and paste its token into the bar.
# 2. Me と CurrentInvoice を実行します（▶ ボタン、Ctrl+Enter）。
#    Run Me and CurrentInvoice (the ▶ button, Ctrl+Enter).
#
# 補完は Ctrl+Space、スキーマの説明は左の Docs（英語・日本語）。
# Ctrl+Space completes; Docs (left) describes every field in English and Japanese.

mutation Login {
  login(input: { loginId: "demo-clerk", password: "Demo-Passw0rd!" }) {
    token
    expiresAt
    userErrors { code message messageJa }
  }
}

query Me {
  me {
    account { loginId name }
    member { memberNumber name }
    permissions { billing cancellation }
  }
}

# 今月の請求 / The invoice you act on now
query CurrentInvoice {
  currentInvoice {
    billingMonth
    issueDate
    dueDate
    closingDate
    confirmable
    totalAmount
    status
  }
}
`;

/** Reads WHO_AM_I_QUERY's answer; null when it has none. */
export function readWhoAmI(body: GraphQLResponse): string | null {
  const me = body.data?.['me'] as { loginId?: unknown; account?: { loginId?: unknown } | null } | null | undefined;
  const loginId = me?.account?.loginId ?? me?.loginId;
  return typeof loginId === 'string' ? loginId : null;
}
