import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import { API_SCHEMA_FILE, composeRepo } from '../compose.ts';
import type { Finding } from '../findings.ts';
import { git, resolveCommit, showFile } from '../git.ts';
import { nodeGraphql } from '../graphql-node.ts';

export const BREAKING_CHANGES_FILE = 'schema/BREAKING_CHANGES.md';

export interface BreakingChangeOptions {
  /** Revision to compare with (CLI: env SCHEMA_BASE_REF). Default: see `chooseBase`. */
  baseRef?: string | undefined;
}

const readWorking = (root: string, file: string) => {
  const target = path.join(root, file);
  return existsSync(target) ? readFileSync(target, 'utf8') : undefined;
};

/**
 * The revision whose schema/api.graphql is "previous": the working tree's change against HEAD when
 * there is one, otherwise the last commit before HEAD that touched it, so a change already
 * committed is still compared with what came before it.
 */
export function chooseBase(root: string, baseRef?: string): { base?: string; note: string } {
  if (baseRef) {
    const commit = resolveCommit(root, baseRef);
    return commit ? { base: commit, note: `base ${baseRef} (SCHEMA_BASE_REF)` } : { note: `SCHEMA_BASE_REF ${baseRef} is not a commit here` };
  }
  if (!resolveCommit(root, 'HEAD')) return { note: 'not a git repository with commits' };
  if (readWorking(root, API_SCHEMA_FILE) !== showFile(root, 'HEAD', API_SCHEMA_FILE)) {
    return { base: 'HEAD', note: `base HEAD (${API_SCHEMA_FILE} has uncommitted changes)` };
  }
  // The latest committed change of the API schema is always the one compared, even when later
  // commits did not touch the schema: base = the parent of the last commit that touched it.
  const last = git(root, ['rev-list', '-n', '1', 'HEAD', '--', API_SCHEMA_FILE])?.trim();
  if (!last) return { note: `no commit touched ${API_SCHEMA_FILE}` };
  const parent = resolveCommit(root, `${last}~1`);
  if (!parent) return { note: `${API_SCHEMA_FILE} first appeared in ${last.slice(0, 12)}: nothing earlier to compare` };
  return { base: parent, note: `base ${last.slice(0, 12)}~1 (before the last commit that changed ${API_SCHEMA_FILE})` };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An acknowledgement is a line that names the change's path as a whole token (`Query.invoices`
 * does not acknowledge `Query.invoicesByMonth` or `Query.invoices(status:)`) and gives a reason:
 * at least a few characters of text besides the path and Markdown punctuation.
 */
export function findAcknowledgement(text: string, changePath: string): { line: number; hasReason: boolean } | undefined {
  const token = new RegExp(`(?<![A-Za-z0-9_.])${escapeRegExp(changePath)}(?![A-Za-z0-9_]|\\.[A-Za-z_]|\\()`);
  let withoutReason: { line: number; hasReason: boolean } | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (!token.test(line)) continue;
    const rest = line.replace(token, '').replace(/[\s\-*+:`|>#_.,;()[\]"'~]/g, '');
    if (rest.length >= 4) return { line: index + 1, hasReason: true };
    withoutReason ??= { line: index + 1, hasReason: false };
  }
  return withoutReason;
}

function pathOf(change: Change): string {
  return change.path ?? change.type;
}

/**
 * (f) Breaking changes of the freshly composed API schema against the previous committed one fail
 * unless each is acknowledged in schema/BREAKING_CHANGES.md and that file was edited by the same
 * change (it differs between the base and the working tree). Dangerous and safe changes are info.
 */
export async function checkBreakingChanges(root: string, options: BreakingChangeOptions = {}): Promise<Finding[]> {
  const outcome = composeRepo(root);
  if (!outcome.ok) return []; // reported by the composition check
  const findings: Finding[] = [];
  const info = (message: string, location?: string) =>
    findings.push({ check: 'breaking-changes', severity: 'info', message, ...(location ? { location } : {}) });
  const error = (message: string, location?: string) =>
    findings.push({ check: 'breaking-changes', severity: 'error', message, ...(location ? { location } : {}) });

  const { base, note } = chooseBase(root, options.baseRef);
  if (!base) {
    if (options.baseRef) error(note);
    else info(`nothing to compare: ${note}`);
    if (git(root, ['rev-parse', '--is-shallow-repository'])?.trim() === 'true') {
      findings.push({ check: 'breaking-changes', severity: 'warning', message: 'shallow clone: history may be missing; fetch more (or set SCHEMA_BASE_REF)' });
    }
    return findings;
  }
  const previousSdl = showFile(root, base, API_SCHEMA_FILE);
  if (previousSdl === undefined) {
    info(`nothing to compare: ${API_SCHEMA_FILE} does not exist at ${note}`);
    return findings;
  }
  let previous: GraphQLSchema;
  try {
    previous = nodeGraphql.buildSchema(previousSdl);
  } catch (e) {
    error(`${API_SCHEMA_FILE} at ${base} does not build: ${e instanceof Error ? e.message : String(e)}`);
    return findings;
  }

  const changes = await diff(previous, nodeGraphql.buildSchema(outcome.apiSdl));
  info(`${changes.length} change(s) against ${note}`);
  const acknowledgements = readWorking(root, BREAKING_CHANGES_FILE);
  const editedInThisChange = acknowledgements !== undefined && acknowledgements !== showFile(root, base, BREAKING_CHANGES_FILE);

  for (const change of changes) {
    const changePath = pathOf(change);
    if (change.criticality.level !== CriticalityLevel.Breaking) {
      info(`${change.criticality.level.toLowerCase()}: ${change.message}${change.criticality.reason ? ` (${change.criticality.reason})` : ''}`, changePath);
      continue;
    }
    const ack = acknowledgements === undefined ? undefined : findAcknowledgement(acknowledgements, changePath);
    const where = ack ? `${BREAKING_CHANGES_FILE}:${ack.line}` : changePath;
    if (!ack) {
      error(`breaking change not acknowledged: ${change.message}. Add a line naming ${changePath} with the reason to ${BREAKING_CHANGES_FILE}`, where);
    } else if (!ack.hasReason) {
      error(`breaking change ${changePath} is named in ${BREAKING_CHANGES_FILE} without a reason: ${change.message}`, where);
    } else if (!editedInThisChange) {
      error(
        `breaking change ${changePath} is acknowledged only by an older entry: ${BREAKING_CHANGES_FILE} was not edited by this change (same as ${base.slice(0, 12)}): ${change.message}`,
        where,
      );
    } else {
      info(`acknowledged breaking change: ${change.message}`, where);
    }
  }
  return findings;
}
