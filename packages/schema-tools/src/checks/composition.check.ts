import { composeRepo } from '../compose.ts';
import type { Finding } from '../findings.ts';

/** (a) The four subgraphs compose. Hints are reported as info. */
export function checkComposition(root: string): Finding[] {
  const outcome = composeRepo(root);
  const findings: Finding[] = [];
  const problems = outcome.ok ? outcome.hints : outcome.errors;
  for (const p of problems) {
    findings.push({
      check: 'composition',
      severity: outcome.ok ? 'info' : 'error',
      message: `${p.code ? `[${p.code}] ` : ''}${p.message}`,
      ...(p.location ? { location: p.location } : {}),
    });
  }
  return findings;
}
