import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { downloadAuditEntry, logDownload } from './download-log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

describe('the download log', () => {
  const payload = { key: 'audit/m-1/x.csv', filename: 'audit-trail-20261207.csv', contentType: 'text/csv', expiresAt: new Date(0), memberId: 'm-1' };

  it('says who took which file of which member, from where, and that it was served', () => {
    const { log, lines } = capture();
    logDownload(log, { outcome: 'served', status: 200, payload, caller: { kind: 'member', accountId: 'a-1', memberId: 'm-1', clientIp: '203.0.113.9', requestId: 'r-1' } });
    expect(lines[0]).toMatchObject({ level: 30, event: 'file.download', outcome: 'served', fileKey: payload.key, filename: payload.filename, linkMemberId: 'm-1', callerKind: 'member', accountId: 'a-1', memberId: 'm-1', clientIp: '203.0.113.9', requestId: 'r-1' });
  });

  it("logs a refusal as a warning with its code, also for a bearer without a session", () => {
    const { log, lines } = capture();
    logDownload(log, { outcome: 'refused', status: 403, code: 'LINK_NOT_YOURS', payload, caller: { kind: 'member', accountId: 'a-2', memberId: 'm-2', clientIp: '198.51.100.7', requestId: 'r-2' } });
    logDownload(log, { outcome: 'refused', status: 410, code: 'LINK_EXPIRED', caller: null });
    expect(lines[0]).toMatchObject({ level: 40, outcome: 'refused', code: 'LINK_NOT_YOURS', linkMemberId: 'm-1', memberId: 'm-2', clientIp: '198.51.100.7' });
    expect(lines[1]).toMatchObject({ level: 40, code: 'LINK_EXPIRED', callerKind: 'unknown', linkMemberId: null });
  });
});

describe('the trail entry of a download', () => {
  const payload = { key: 'billing/m-1/inv.pdf', filename: '適格請求書_2026-05.pdf', contentType: 'application/pdf', expiresAt: new Date(0), memberId: 'm-1' };
  const member = (memberId: string) => ({ kind: 'member' as const, accountId: `acc-of-${memberId}`, memberId, clientIp: '203.0.113.9', requestId: 'r' });

  it.each([
    ['served to its member: the account acts', { outcome: 'served', status: 200, payload, caller: member('m-1') }, { action: 'FILE_DOWNLOADED', memberId: 'm-1', actor: member('m-1'), details: { status: 200 } }],
    ['served without a session: nobody vouched', { outcome: 'served', status: 200, payload, caller: null }, { action: 'FILE_DOWNLOADED', actor: null }],
    [
      "refused to another member's session: its address only, not its account",
      { outcome: 'refused', status: 403, code: 'LINK_NOT_YOURS', payload, caller: member('m-2') },
      { action: 'FILE_DOWNLOAD_REFUSED', memberId: 'm-1', actor: { kind: 'anonymous', accountId: null, memberId: null, clientIp: '203.0.113.9' }, details: { status: 403, code: 'LINK_NOT_YOURS', otherMembersSession: true } },
    ],
    ['a file gone from the store is a refusal in the trail', { outcome: 'refused', status: 404, code: 'FILE_NOT_FOUND', payload, caller: member('m-1') }, { action: 'FILE_DOWNLOAD_REFUSED', details: { status: 404, code: 'FILE_NOT_FOUND' } }],
  ] as const)('%s', (_name, use, expected) => {
    expect(downloadAuditEntry(use)).toMatchObject({ target: { type: 'File', id: payload.key, label: payload.filename }, ...expected });
  });

  it.each([
    ['an expired or forged token (nothing verified)', { outcome: 'refused', status: 410, code: 'LINK_EXPIRED', caller: null }],
    ['a link issued without a member', { outcome: 'served', status: 200, payload: { ...payload, memberId: undefined }, caller: null }],
  ] as const)('no entry for %s: the log line only', (_name, use) => {
    expect(downloadAuditEntry(use as never)).toBeNull();
  });
});
