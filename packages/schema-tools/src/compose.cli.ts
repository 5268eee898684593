import path from 'node:path';
import { API_SCHEMA_FILE, composeRepo, formatProblem, SUPERGRAPH_FILE, writeComposition } from './compose.ts';
import { REPO_ROOT } from './subgraphs.ts';

// npm run compose: compose the four subgraphs' SDL and write the committed supergraph and API schema.
const outcome = composeRepo(REPO_ROOT);
if (!outcome.ok) {
  console.error(`Composition failed with ${outcome.errors.length} error(s); ${SUPERGRAPH_FILE} and ${API_SCHEMA_FILE} were not written.\n`);
  for (const error of outcome.errors) console.error(`ERROR ${formatProblem(error)}\n`);
  process.exit(1);
}
for (const hint of outcome.hints) console.log(`hint  ${formatProblem(hint)}\n`);
for (const file of writeComposition(REPO_ROOT, outcome)) console.log(`wrote ${path.join(path.relative(process.cwd(), REPO_ROOT) || '.', file)}`);
