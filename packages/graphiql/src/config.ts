/** Page configuration that the server writes into index.html (`<script type="application/json" id="graphiql-config">`). */
export interface PageConfig {
  /** GraphQL endpoint, same origin (default `/graphql`) */
  endpoint: string;
  /** page title shown in the header bar */
  title: string;
}

export function readPageConfig(doc: Document = document): PageConfig {
  const fallback: PageConfig = { endpoint: '/graphql', title: 'Corporate Tenant Portal API' };
  const el = doc.getElementById('graphiql-config');
  if (!el?.textContent) return fallback;
  try {
    const raw = JSON.parse(el.textContent) as Partial<PageConfig>;
    return {
      endpoint: typeof raw.endpoint === 'string' && raw.endpoint ? raw.endpoint : fallback.endpoint,
      title: typeof raw.title === 'string' && raw.title ? raw.title : fallback.title,
    };
  } catch {
    return fallback;
  }
}
