import path from 'node:path';
import { API_SCHEMA_FILE, composeRepo, formatProblem, SUPERGRAPH_FILE, writeComposition } from './compose.ts';
import { REPO_ROOT } from './subgraphs.ts';

// npm run compose [-- <repo root>]: compose the four subgraphs' SDL and write the committed
// supergraph and API schema. The optional root lets tests run the CLI on a fixture checkout.
const root = path.resolve(process.argv[2] ?? REPO_ROOT);
const outcome = composeRepo(root);
if (!outcome.ok) {
  console.error(`Composition failed with ${outcome.errors.length} error(s); ${SUPERGRAPH_FILE} and ${API_SCHEMA_FILE} were not written.\n`);
  for (const error of outcome.errors) console.error(`ERROR ${formatProblem(error)}\n`);
  process.exit(1);
}
for (const hint of outcome.hints) console.log(`hint  ${formatProblem(hint)}\n`);
for (const file of writeComposition(root, outcome)) console.log(`wrote ${path.join(root, file)}`);
