export type Severity = 'error' | 'warning' | 'info';

export type CheckName =
  | 'composition'
  | 'up-to-date'
  | 'deny-by-default'
  | 'scopes'
  | 'no-rename'
  | 'demand-control'
  | 'breaking-changes'
  | 'client-operations'
  | 'generated-types';

/** One result of a schema check. `location` is `file:line:column` (relative to the repo root) or a schema coordinate. */
export interface Finding {
  check: CheckName;
  severity: Severity;
  message: string;
  location?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

const LABEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARN ', info: 'info ' };

/** Human-readable lines, grouped by check in the order the checks ran. */
export function formatFindings(findings: readonly Finding[]): string {
  const lines: string[] = [];
  let current: CheckName | undefined;
  for (const f of findings) {
    if (f.check !== current) {
      current = f.check;
      lines.push(`\n[${f.check}]`);
    }
    lines.push(`  ${LABEL[f.severity]} ${f.message}${f.location ? `\n         at ${f.location}` : ''}`);
  }
  return lines.join('\n');
}
