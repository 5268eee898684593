/** The signed-in session of this browser tab. sessionStorage (not localStorage): closing the tab logs out. */
export interface Session {
  token: string;
  /** who it is, when known (login form, or `me` for a pasted token) */
  loginId: string | null;
}

const KEY = 'portal.graphiql.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<Session>;
    if (typeof v.token !== 'string' || !v.token) return null;
    return { token: v.token, loginId: typeof v.loginId === 'string' ? v.loginId : null };
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  try {
    if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: the session lives only in memory
  }
}
