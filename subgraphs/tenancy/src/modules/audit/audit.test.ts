import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parse, Kind, type EnumTypeDefinitionNode } from 'graphql';
import { AUDIT_ACTIONS } from './audit-actions.ts';
import { auditCsv, AUDIT_CSV_HEADER } from './audit-csv.ts';
import type { IAuditEvent } from './audit-event.entity.ts';

// The secret filter (sanitizeDetails) is @portal/events' and is tested there (sanitize.test.ts).
describe('audit actions', () => {
  it('are the same in TypeScript, GraphQL and the PostgreSQL enum', () => {
    const sdl = parse(readFileSync(new URL('./audit.graphql', import.meta.url), 'utf8'));
    const graphqlEnum = sdl.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'AuditAction')!;
    expect(graphqlEnum.values!.map((v) => v.name.value)).toEqual(AUDIT_ACTIONS);
    const dir = new URL('../../migrations/', import.meta.url);
    // Every migration of the subgraph, comments removed: later ones add values with `alter type … add value`.
    const migrations = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(new URL(f, dir), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*(\/\/|--).*$/gm, ''))
      .join('\n');
    const created = /create type tenancy\.audit_action as enum \(([^)]*)\)/.exec(migrations)![1]!.match(/'([A-Z_]+)'/g)!.map((s) => s.slice(1, -1));
    const added = [...migrations.matchAll(/alter type tenancy\.audit_action add value '([A-Z_]+)'/g)].map((m) => m[1]!);
    expect([...created, ...added].sort()).toEqual([...AUDIT_ACTIONS].sort());
  });
});

describe('auditCsv', () => {
  const event = (over: Partial<IAuditEvent>): IAuditEvent =>
    ({ id: 'e1', seq: '1', memberId: 'm', at: new Date('2026-11-22T14:59:59Z'), actorType: 'ACCOUNT', accountId: 'a1', loginId: 'demo-admin', clientIp: '203.0.113.7', requestId: 'r1', action: 'ACCOUNT_UPDATED', targetType: 'Account', targetId: 'a2', targetLabel: 'clerk', details: { before: { name: '山田, 太郎' } }, ...over }) as IAuditEvent;

  it('writes UTF-8 with a BOM, a Japanese header, Japan time, CRLF and quoted fields', () => {
    const text = auditCsv([event({})]).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, row] = text.slice(1).split('\r\n');
    expect(header).toBe(AUDIT_CSV_HEADER.join(','));
    expect(row).toContain('2026-11-22 23:59:59,担当者情報変更,ACCOUNT_UPDATED,担当者,demo-admin');
    expect(row).toContain('"{""before"":{""name"":""山田, 太郎""}}"');
  });

  it('keeps user-typed text that starts like a formula as text', () => {
    const text = auditCsv([event({ targetLabel: '=HYPERLINK("x")', loginId: '+cmd' })]).toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).toContain("'+cmd");
  });
});
