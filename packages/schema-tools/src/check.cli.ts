import path from 'node:path';
import { runChecks } from './check.ts';
import { formatFindings, hasErrors } from './findings.ts';
import { REPO_ROOT } from './subgraphs.ts';

// npm run schema:check [-- <repo root>]: exits 1 when any check reports an error. SCHEMA_BASE_REF
// overrides the revision breaking changes are compared with (CI on a pull request: the target branch).
const root = path.resolve(process.argv[2] ?? REPO_ROOT);
const findings = await runChecks(root, { baseRef: process.env['SCHEMA_BASE_REF'] || undefined });
const errors = findings.filter((f) => f.severity === 'error').length;
const warnings = findings.filter((f) => f.severity === 'warning').length;
if (findings.length > 0) console.log(formatFindings(findings));
console.log(`\nschema:check: ${errors} error(s), ${warnings} warning(s)`);
process.exit(hasErrors(findings) ? 1 : 0);
