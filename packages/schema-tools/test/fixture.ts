import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeRepo, writeComposition } from '../src/compose.ts';

export const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@authenticated", "@requiresScopes", "@tag", "@inaccessible", "@cost", "@listSize"])\n';

/** A small but complete portal: four subgraphs (one split over files), client documents, generated code to skip. */
export const BASE_FILES: Record<string, string> = {
  'subgraphs/billing/src/schema/00-link.graphql': LINK,
  'subgraphs/billing/src/modules/invoice/invoice.graphql': `
"Invoice (請求書)"
type Invoice @key(fields: "id") @requiresScopes(scopes: [["billing:view"]]) {
  id: ID!
  "Amount in yen (金額)"
  amount: Int!
  member: Member
}

type Member @key(fields: "id", resolvable: false) @authenticated {
  id: ID!
}

type Query {
  "Invoices of the member's account (請求書一覧)"
  invoices(status: String): [Invoice!]! @requiresScopes(scopes: [["billing:view"]]) @listSize(assumedSize: 50)
}
`,
  'subgraphs/tenancy/src/schema.graphql': `${LINK}
type Query {
  me: Member @authenticated
}

type Mutation {
  login(email: String!, password: String!): LoginPayload! @tag(name: "public") @tag(name: "sensitive")
}

type LoginPayload @tag(name: "public") {
  token: String
}

type Member @key(fields: "id") @authenticated {
  id: ID!
  name: String!
}
`,
  'subgraphs/smartlock/src/smartlock.graphql': `${LINK}
type Lock @requiresScopes(scopes: [["smartlock:view"]]) {
  id: ID!
  name: String!
}

extend type Query {
  locks: [Lock!]! @listSize(assumedSize: 20)
  unlock(id: ID!): Boolean @requiresScopes(scopes: [["smartlock:use"]])
}
`,
  'subgraphs/contracts/src/contracts.graphql': `${LINK}
enum ContractStatus {
  ACTIVE
  ENDED
}

type Contract @key(fields: "id") @requiresScopes(scopes: [["fire-insurance:view"], ["admin"]]) {
  id: ID!
  status: ContractStatus!
}

type Query {
  contracts: [Contract!]! @requiresScopes(scopes: [["fire-insurance:view"]]) @listSize(assumedSize: 20)
}
`,
  'client/src/fragments.graphql': `fragment InvoiceFields on Invoice {
  id
  amount
}
`,
  'client/src/invoices.ts': `import { graphql } from './gql/index.ts';

export const InvoicesQuery = graphql(\`
  query Invoices {
    invoices {
      ...InvoiceFields
    }
  }
\`);
`,
  'client/src/gql/graphql.ts': 'export const broken = gql`query { thisFieldDoesNotExist }`;\n',
};

export interface FixtureRepo {
  root: string;
  write(file: string, text: string): void;
  read(file: string): string;
  edit(file: string, from: string | RegExp, to: string): void;
  remove(file: string): void;
  /** Runs `npm run compose` in the fixture (throws when composition fails). */
  compose(): void;
  git(...args: string[]): string;
  commitAll(message: string): void;
  dispose(): void;
}

export function makeRepo(files: Record<string, string> = BASE_FILES): FixtureRepo {
  const root = mkdtempSync(path.join(os.tmpdir(), 'schema-tools-'));
  const repo: FixtureRepo = {
    root,
    write(file, text) {
      const target = path.join(root, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    },
    read: (file) => readFileSync(path.join(root, file), 'utf8'),
    edit(file, from, to) {
      const before = repo.read(file);
      const after = before.replace(from, to);
      if (after === before) throw new Error(`fixture edit did not change ${file}`);
      repo.write(file, after);
    },
    remove: (file) => rmSync(path.join(root, file)),
    compose() {
      const outcome = composeRepo(root);
      if (!outcome.ok) throw new Error(outcome.errors.map((e) => e.message).join('\n'));
      writeComposition(root, outcome);
    },
    git: (...args) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    commitAll(message) {
      repo.git('add', '-A');
      repo.git('commit', '-q', '--allow-empty', '-m', message);
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const [file, text] of Object.entries(files)) repo.write(file, text);
  return repo;
}

export const errorsOf = <T extends { severity: string }>(findings: readonly T[]) => findings.filter((f) => f.severity === 'error');
