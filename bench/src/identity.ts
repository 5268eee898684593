/**
 * Pre-signed internal identities for the setups that have no session handling of their own (the
 * floor, stock Apollo Gateway, Hive Gateway): one token per subgraph (audience), re-signed every
 * 20 s because a token lives 60 s. Our gateway does not use this: it resolves the session and
 * signs per request and audience.
 */
import { createIdentitySigner, type Identity, type Scope } from '@portal/auth';

export interface BenchIdentity {
  accountId: string;
  memberId: string;
  scopes: string[];
}

export interface TokenSource {
  /** The current token for a subgraph (synchronous: Hive's header hook wants a value). */
  get(audience: string): string;
  stop(): void;
}

export async function startTokenSource(privateKeyPem: string, who: BenchIdentity, audiences: readonly string[], refreshMs = 20_000): Promise<TokenSource> {
  const signer = await createIdentitySigner(privateKeyPem);
  const identity: Identity = {
    kind: 'member',
    accountId: who.accountId,
    memberId: who.memberId,
    sessionId: null,
    scopes: new Set(who.scopes as Scope[]),
    clientIp: '127.0.0.1',
    requestId: 'bench',
  };
  const tokens = new Map<string, string>();
  const refresh = async () => {
    for (const audience of audiences) tokens.set(audience, await signer.sign(identity, audience));
  };
  await refresh();
  const timer = setInterval(() => void refresh(), refreshMs);
  timer.unref();
  return {
    get(audience) {
      const token = tokens.get(audience);
      if (!token) throw new Error(`no identity token for ${audience}`);
      return token;
    },
    stop: () => clearInterval(timer),
  };
}

/** Settings every peer process reads from its environment (set by run.ts). */
export function peerEnv(): { privateKeyPem: string; identity: BenchIdentity; subgraphUrls: Record<string, string>; supergraphPath: string; port: number } {
  const need = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set (the bench runner sets it)`);
    return v;
  };
  return {
    privateKeyPem: need('PORTAL_INTERNAL_PRIVATE_KEY'),
    identity: JSON.parse(need('BENCH_IDENTITY')) as BenchIdentity,
    subgraphUrls: JSON.parse(need('BENCH_SUBGRAPH_URLS')) as Record<string, string>,
    supergraphPath: need('BENCH_SUPERGRAPH_PATH'),
    port: Number(need('BENCH_PORT')),
  };
}
