/**
 * The GraphiQL page: a small header bar (log in / paste a token / log out) above GraphiQL 5.
 * Bundled by build.ts; everything it loads comes from the same origin.
 */
import './workers.ts';
import 'graphiql/style.css';
import './app.css';

import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { StrictMode, useCallback, useMemo, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { readPageConfig } from './config.ts';
import { LOGIN_MUTATION, LOGOUT_MUTATION, STARTER_DOCUMENT, WHO_AM_I_QUERY, readLoginResult, readWhoAmI } from './operations.ts';
import { loadSession, saveSession, type Session } from './session.ts';

type Fetcher = GraphiQLProps['fetcher'];

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: readonly { message?: unknown }[];
}

async function postGraphQL(
  endpoint: string,
  body: unknown,
  token: string | null,
  extraHeaders: Record<string, unknown> = {},
): Promise<GraphQLBody> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (token) headers['authorization'] = `Bearer ${token}`;
  // Headers typed into GraphiQL's own headers editor win over ours (e.g. another Authorization).
  for (const [name, value] of Object.entries(extraHeaders)) {
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  }
  const res = await fetch(endpoint, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as GraphQLBody;
  } catch {
    return { errors: [{ message: `HTTP ${res.status} ${res.statusText}: ${text.slice(0, 500)}` }] };
  }
}

function createFetcher(endpoint: string, token: string | null): Fetcher {
  return (params, opts) => postGraphQL(endpoint, params, token, opts?.headers ?? {}) as ReturnType<Fetcher>;
}

function HeaderBar(props: {
  title: string;
  endpoint: string;
  session: Session | null;
  onSession: (s: Session | null) => void;
}) {
  const { endpoint, session, onSession } = props;
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [pasted, setPasted] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const login = useCallback(
    async (e: FormEvent) => {
      e.preventDefault();
      setBusy(true);
      setError(null);
      try {
        const body = await postGraphQL(
          endpoint,
          { query: LOGIN_MUTATION, variables: { loginId, password }, operationName: 'GraphiqlLogin' },
          null,
        );
        const outcome = readLoginResult(body);
        if (outcome.ok) {
          setPassword('');
          onSession({ token: outcome.token, loginId });
        } else {
          setError(outcome.message);
        }
      } catch (err) {
        setError(`通信エラー / Network error: ${String(err)}`);
      } finally {
        setBusy(false);
      }
    },
    [endpoint, loginId, password, onSession],
  );

  const useToken = useCallback(
    async (e: FormEvent) => {
      e.preventDefault();
      const token = pasted.trim().replace(/^Bearer\s+/i, '');
      if (!token) return;
      setError(null);
      setPasted('');
      onSession({ token, loginId: null });
      try {
        const who = readWhoAmI(
          await postGraphQL(endpoint, { query: WHO_AM_I_QUERY, operationName: 'GraphiqlWhoAmI' }, token),
        );
        if (who) onSession({ token, loginId: who });
      } catch {
        // only cosmetic
      }
    },
    [endpoint, pasted, onSession],
  );

  const logout = useCallback(() => {
    const token = session?.token ?? null;
    onSession(null);
    setError(null);
    if (token) {
      postGraphQL(endpoint, { query: LOGOUT_MUTATION, operationName: 'GraphiqlLogout' }, token).catch(() => {
        // best effort: the token is gone from this tab either way
      });
    }
  }, [endpoint, session, onSession]);

  return (
    <header className="portal-bar" data-testid="portal-bar">
      <span className="portal-bar__title">{props.title}</span>
      {session ? (
        <div className="portal-bar__group">
          <span className="portal-bar__who" data-testid="who">
            ログイン中 / Signed in: <strong>{session.loginId ?? '(token)'}</strong>
          </span>
          <button type="button" onClick={logout} data-testid="logout">
            ログアウト / Log out
          </button>
        </div>
      ) : (
        <div className="portal-bar__group">
          <form className="portal-bar__form" onSubmit={login} aria-label="Log in">
            <input
              name="loginId"
              autoComplete="username"
              placeholder="ログインID / Login ID"
              aria-label="Login ID"
              value={loginId}
              onChange={(e) => setLoginId(e.target.value)}
              required
            />
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              placeholder="パスワード / Password"
              aria-label="Password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
            <button type="submit" disabled={busy}>
              ログイン / Log in
            </button>
          </form>
          <form className="portal-bar__form" onSubmit={useToken} aria-label="Use a token">
            <input
              name="token"
              autoComplete="off"
              spellCheck={false}
              placeholder="トークンを貼り付け / Paste token"
              aria-label="Token"
              value={pasted}
              onChange={(e) => setPasted(e.target.value)}
            />
            <button type="submit">使う / Use</button>
          </form>
        </div>
      )}
      {error ? (
        <span className="portal-bar__error" role="alert" data-testid="login-error">
          {error}
        </span>
      ) : null}
    </header>
  );
}

function App() {
  const config = useMemo(() => readPageConfig(), []);
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const onSession = useCallback((s: Session | null) => {
    saveSession(s);
    setSession(s);
  }, []);
  const token = session?.token ?? null;
  // A new fetcher when the token changes makes GraphiQL introspect again with the new identity.
  const fetcher = useMemo(() => createFetcher(config.endpoint, token), [config.endpoint, token]);

  return (
    <div className="portal-page">
      <HeaderBar title={config.title} endpoint={config.endpoint} session={session} onSession={onSession} />
      <main className="portal-graphiql">
        <GraphiQL fetcher={fetcher} defaultQuery={STARTER_DOCUMENT} isHeadersEditorEnabled shouldPersistHeaders={false} />
      </main>
    </div>
  );
}

const root = document.getElementById('graphiql-root');
if (!root) throw new Error('#graphiql-root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
