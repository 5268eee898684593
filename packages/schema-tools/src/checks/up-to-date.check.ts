import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { API_SCHEMA_FILE, composeRepo, SUPERGRAPH_FILE } from '../compose.ts';
import type { Finding } from '../findings.ts';

const normalise = (text: string) => text.replace(/\r\n/g, '\n');

/** (b) The committed supergraph and API schema are exactly what composition produces now. */
export function checkUpToDate(root: string): Finding[] {
  const outcome = composeRepo(root);
  if (!outcome.ok) return []; // reported by the composition check
  const expected: Array<[string, string]> = [
    [SUPERGRAPH_FILE, outcome.supergraphSdl],
    [API_SCHEMA_FILE, outcome.apiSdl],
  ];
  const findings: Finding[] = [];
  for (const [file, text] of expected) {
    const target = path.join(root, file);
    if (!existsSync(target)) {
      findings.push({ check: 'up-to-date', severity: 'error', message: `${file} is missing: run npm run compose`, location: file });
    } else if (normalise(readFileSync(target, 'utf8')) !== normalise(text)) {
      findings.push({
        check: 'up-to-date',
        severity: 'error',
        message: `${file} is stale (it differs from what the subgraphs compose to now): run npm run compose`,
        location: file,
      });
    }
  }
  return findings;
}
