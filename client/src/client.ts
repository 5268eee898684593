import { Client, cacheExchange, fetchExchange } from '@urql/core';

export interface PortalClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** Returns the current session token (from `login`), or null when logged out. */
  getToken?: () => string | null;
}

/** An urql client for the portal gateway that sends the session as `Authorization: Bearer`. */
export function createPortalClient(options: PortalClientOptions): Client {
  return new Client({
    url: options.url,
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    fetchOptions: () => {
      const token = options.getToken?.();
      return token ? { headers: { authorization: `Bearer ${token}` } } : {};
    },
  });
}
