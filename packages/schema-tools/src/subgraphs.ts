import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One subgraph of the portal: its name in the supergraph, its HTTP port, its folder relative to the repo root. */
export interface SubgraphInfo {
  readonly name: string;
  readonly port: number;
  readonly dir: string;
}

export const SUBGRAPHS: readonly SubgraphInfo[] = [
  { name: 'billing', port: 4001, dir: 'subgraphs/billing' },
  { name: 'tenancy', port: 4002, dir: 'subgraphs/tenancy' },
  { name: 'smartlock', port: 4003, dir: 'subgraphs/smartlock' },
  { name: 'contracts', port: 4004, dir: 'subgraphs/contracts' },
];

/** The repository root, as seen from this package's source folder. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/** The routing URL composed into the supergraph (the gateway and the subgraph servers agree on it). */
export function subgraphUrl(port: number): string {
  return `http://127.0.0.1:${port}/graphql`;
}

/** One SDL file of a subgraph and where its text starts inside the concatenated SDL. */
export interface SdlSource {
  /** Absolute path. */
  readonly file: string;
  readonly body: string;
  /** Character offset of `body` inside the concatenated SDL. */
  readonly offset: number;
}

/** Joins file bodies with a newline, so a trailing `# comment` in one file cannot swallow the next file's first line. */
const SEPARATOR = '\n';

function listGraphqlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.graphql')) found.push(full);
    }
  };
  walk(dir);
  // Code-unit order of the POSIX relative path: the same on every machine and locale.
  const key = (file: string) => path.relative(dir, file).split(path.sep).join('/');
  return found.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The `src/**\/*.graphql` files of a subgraph folder, in sorted path order, with their offsets in the concatenation. */
export function readSubgraphSources(subgraphDir: string): SdlSource[] {
  const sources: SdlSource[] = [];
  let offset = 0;
  for (const file of listGraphqlFiles(path.join(subgraphDir, 'src'))) {
    const body = readFileSync(file, 'utf8');
    sources.push({ file, body, offset });
    offset += body.length + SEPARATOR.length;
  }
  return sources;
}

/** Concatenates sources exactly as `readSubgraphSdl` does. */
export function joinSdlSources(sources: readonly SdlSource[]): string {
  return sources.map((s) => s.body).join(SEPARATOR);
}

/**
 * The subgraph's SDL: the concatenation, in sorted path order, of every `.graphql` file under
 * `<subgraphDir>/src`. Subgraph servers serve this and `npm run compose` composes this, so what is
 * served is what is composed. Throws when the folder has no SDL at all.
 */
export function readSubgraphSdl(subgraphDir: string): string {
  const sources = readSubgraphSources(subgraphDir);
  if (sources.length === 0) {
    throw new Error(`no .graphql files under ${path.join(subgraphDir, 'src')}`);
  }
  return joinSdlSources(sources);
}
