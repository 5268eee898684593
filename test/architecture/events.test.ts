/**
 * One definition of each cross-subgraph event and of the audit secret filter (issue 12 item 4):
 * event names, schemas and versions live in @portal/events, `sanitizeDetails` in its sanitize.ts.
 * A grep over the source, so a second copy fails here whoever writes it. Comments are not code
 * (JSDoc names events in backticks), and migrations are history: their SQL names events as they
 * were when they ran.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_CONTRACTS } from '@portal/events';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['packages', 'subgraphs', 'gateway', 'tooling', 'test', 'bench', 'client/src'];
const EVENTS_PACKAGE = 'packages/events/src/';
const SANITIZE_FILE = 'packages/events/src/sanitize.ts';
/** This file: its fixtures are the copies it must catch. */
const SELF = 'test/architecture/events.test.ts';

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return ['node_modules', 'dist', '.turbo', 'migrations', 'generated'].includes(e.name) ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The code of a file without its comments (a `//` inside a string such as a URL is kept). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const quoted = (name: string) => new RegExp(`['"\`]${name.replace(/\./g, '\\.')}['"\`]`);
/** A constant that names events (`FOO_EVENT = 'foo.done'`, `BAR_EVENTS = { … }`); queues (`*_EVENTS_QUEUE`) are not events. */
const EVENT_CONSTANT = /\b(?:const|let|var)\s+[A-Z][A-Z0-9_]*_EVENTS?\s*[=:]/;
/**
 * An event named inline where it is published or subscribed to, or in an `{ event: '…', data }`
 * envelope for `publishBatch` (a log record's `event: 'file.download'` is not a bus event).
 */
const INLINE_EVENT = /(?:\b(?:publish|publishBatch|subscribe)(?:<[^>]*>)?\(\s*\[?\s*['"`]([a-z][\w-]*\.[\w.-]+)['"`]|\bevent:\s*['"`]([a-z][\w-]*\.[\w.-]+)['"`]\s*,\s*data\b)/g;
/** A second secret filter: a function or constant named sanitize…, or a secret-key pattern. */
const SANITIZE_DEFINITION = /\b(?:function\s*\*?\s*|(?:const|let|var)\s+)sanitiz\w*|\bSECRET_KEY\s*=|pass\(word\)\?/i;

function findings(files: readonly { path: string; code: string }[]) {
  const names = EVENT_CONTRACTS.map((c) => c.name);
  const out: string[] = [];
  for (const { path, code } of files) {
    const inEventsPackage = path.startsWith(EVENTS_PACKAGE);
    if (!inEventsPackage) {
      for (const name of names) if (quoted(name).test(code)) out.push(`${path}: event name '${name}' written out (import it from @portal/events)`);
      if (EVENT_CONSTANT.test(code)) out.push(`${path}: an event-name constant outside @portal/events`);
      // The transport's own tests publish made-up `test.*` events; any other inline name is an undeclared event.
      for (const m of code.matchAll(INLINE_EVENT)) {
        const name = (m[1] ?? m[2])!;
        if (!name.startsWith('test.') && !names.includes(name as never)) out.push(`${path}: event '${name}' is not defined in @portal/events`);
      }
    }
    if (path !== SANITIZE_FILE && SANITIZE_DEFINITION.test(code)) out.push(`${path}: a second audit secret filter (use sanitizeDetails from @portal/events)`);
  }
  return out;
}

const files = SCANNED.flatMap(sourceFiles).filter((path) => path !== SELF).map((path) => ({ path: path.split(sep).join('/'), code: withoutComments(readFileSync(join(ROOT, path), 'utf8')) }));

describe('one home for cross-subgraph events and the audit secret filter', () => {
  it('scans the tree and sees the one definitions (positive control)', () => {
    expect(files.length).toBeGreaterThan(200);
    const eventsCode = files.filter((f) => f.path.startsWith(EVENTS_PACKAGE)).map((f) => f.code).join('\n');
    for (const { name } of EVENT_CONTRACTS) expect(eventsCode, name).toMatch(quoted(name));
    expect(files.filter((f) => /\bfunction\s+sanitiz\w*/i.test(f.code)).map((f) => f.path)).toEqual([SANITIZE_FILE]);
  });

  it('finds no second definition of an event name or of the secret filter', () => {
    expect(findings(files)).toEqual([]);
  });

  it('flags the copies this refactor removed (the detector works)', () => {
    const old = [
      { path: 'subgraphs/billing/src/modules/audit/audit-relay.ts', code: "export const AUDIT_RECORDED_EVENT = 'audit.recorded';" },
      { path: 'subgraphs/billing/src/modules/audit/audit-outbox.ts', code: 'const SECRET_KEY = /pass(word)?|token|secret|hash|credential|accountNumber/i;\nfunction sanitize(value: unknown): unknown { return value; }' },
      { path: 'subgraphs/tenancy/src/modules/audit/audit.ts', code: 'export function sanitizeDetails(value: unknown): unknown { return value; }' },
      { path: 'subgraphs/contracts/src/modules/x/x.relay.ts', code: "await bus.publishBatch(rows.map((r) => ({ event: 'policy.expired', data: r })));" },
      { path: 'subgraphs/smartlock/src/modules/x/x.consumer.ts', code: "export const KEY_EVENTS = { issued: 'key.issued' } as const;" },
      { path: 'test/fidelity/x.test.ts', code: "await bus.subscribe<X>('room.removed', 'q', handler);" },
      { path: 'subgraphs/contracts/src/modules/x/x.consumer.ts', code: "await bus.subscribe(['policy.renewed'], 'contracts.q', handler);" },
    ];
    const found = findings(old);
    expect(found).toEqual(expect.arrayContaining([
      expect.stringContaining("audit-relay.ts: event name 'audit.recorded'"),
      expect.stringContaining('audit-relay.ts: an event-name constant'),
      expect.stringContaining('audit-outbox.ts: a second audit secret filter'),
      expect.stringContaining('audit.ts: a second audit secret filter'),
      expect.stringContaining("x.relay.ts: event 'policy.expired' is not defined"),
      expect.stringContaining('x.consumer.ts: an event-name constant'),
      expect.stringContaining("x.test.ts: event name 'room.removed'"),
      expect.stringContaining("x.consumer.ts: event 'policy.renewed' is not defined"),
    ]));
    // Comments and queue names are not definitions.
    expect(findings([{ path: 'subgraphs/a/src/a.ts', code: withoutComments("/** fed by `room.upserted` */\n// 'audit.recorded'\nexport const MEMBER_EVENTS_QUEUE = 'billing.member-events';\nlog.warn({ event: 'file.download', outcome: 'refused' });") }])).toEqual([]);
  });
});
