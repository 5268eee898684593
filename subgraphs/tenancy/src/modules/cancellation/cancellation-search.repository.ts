import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MEMBER_FILTER } from '@portal/subgraph-kit';
import type { JstDate } from '@portal/platform';
import type { CancellationStatus } from './cancellation-status.rule.ts';

/** 解約対象検索: every filter of the search screen; empty/omitted fields do not filter. */
export interface CancellationSearchFilter {
  apNo?: string | null;
  roomNumber?: string | null;
  propertyName?: string | null;
  memberNumber?: string | null;
  statuses?: CancellationStatus[] | null;
  withoutCancellation?: boolean | null;
  prefecture?: string | null;
  city?: string | null;
  /** Already resolved: the service turns an omitted range into the default (past 3 months, occupied included). */
  moveOut: { from: JstDate | null; to: JstDate | null; includeOccupied: boolean };
}

export interface SearchCursor {
  apNo: string;
  roomNumber: string;
  roomId: string;
}

export interface SearchRow {
  roomId: string;
  apNo: string;
  propertyName: string;
  roomNumber: string;
  memberNumber: string;
  prefecture: string;
  city: string;
  moveInDate: string | null;
  cancellationId: string | null;
  status: CancellationStatus | null;
  moveOutDate: string | null;
  settlementStatementId: string | null;
}

export function encodeSearchCursor(c: SearchCursor): string {
  return Buffer.from(JSON.stringify([c.apNo, c.roomNumber, c.roomId])).toString('base64url');
}

export function decodeSearchCursor(cursor: string): SearchCursor | null {
  try {
    const [apNo, roomNumber, roomId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof apNo !== 'string' || typeof roomNumber !== 'string' || typeof roomId !== 'string' || !/^[0-9a-f-]{36}$/i.test(roomId)) return null;
    return { apNo, roomNumber, roomId };
  } catch {
    return null;
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * The member whose data this request may read: the value the subgraph bound to the default member
 * filter from the verified identity (the same one every entity query uses). Raw SQL cannot carry
 * the ORM filter, so it takes the member from here and nowhere else; a caller without a member is
 * refused exactly as the filter refuses it.
 */
export function scopedMemberId(em: EntityManager): string {
  const memberId = em.getFilterParams<{ memberId?: unknown }>(MEMBER_FILTER)?.memberId;
  if (typeof memberId !== 'string') {
    throw new GraphQLError('This data belongs to a corporate member; log in with a member account. 法人会員の担当者でログインしてください。', { extensions: { code: 'FORBIDDEN' } });
  }
  return memberId;
}

/**
 * rooms → property, member, latest cancellation. The cancellation join also names the member, so
 * PostgreSQL reads only that member's cancellations (cancellation_member_*_idx) instead of hashing
 * the whole table; the count leaves out the joins its filter does not need.
 */
function fromClause(memberId: string, needs: { property: boolean; member: boolean; cancellation: boolean }): { sql: string; params: unknown[] } {
  const sql = [
    'from tenancy.room r',
    needs.property ? 'join tenancy.property p on p.id = r.property_id' : '',
    needs.member ? 'join tenancy.member m on m.id = r.member_id' : '',
    needs.cancellation ? 'left join tenancy.cancellation c on c.room_id = r.id and c.latest and c.member_id = ?' : '',
  ].filter(Boolean);
  return { sql: sql.join('\n  '), params: needs.cancellation ? [memberId] : [] };
}

function whereClause(memberId: string, f: CancellationSearchFilter): { sql: string; params: unknown[]; needs: { property: boolean; member: boolean; cancellation: boolean } } {
  const parts = ['r.member_id = ?'];
  const params: unknown[] = [memberId];
  const eq = (column: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined && value.trim() !== '') {
      parts.push(`${column} = ?`);
      params.push(value.trim());
    }
  };
  eq('p.ap_no', f.apNo);
  eq('r.room_number', f.roomNumber);
  if (f.memberNumber && f.memberNumber.trim() !== '') {
    // Resolved first (an InitPlan): another member's number makes the room index scan empty at once,
    // instead of walking the member's rooms to compare each one's member number.
    parts.push('r.member_id = (select m2.id from tenancy.member m2 where m2.member_number = ?)');
    params.push(f.memberNumber.trim());
  }
  eq('p.prefecture', f.prefecture);
  eq('p.city', f.city);
  if (f.propertyName && f.propertyName.trim() !== '') {
    // backslash is PostgreSQL's default LIKE escape, matching escapeLike
    parts.push('p.name ilike ?');
    params.push(`%${escapeLike(f.propertyName.trim())}%`);
  }
  if (f.statuses && f.statuses.length > 0) {
    parts.push(`c.status in (${f.statuses.map(() => '?').join(', ')})`);
    params.push(...f.statuses);
  }
  if (f.withoutCancellation === true) parts.push('c.id is null');
  if (f.withoutCancellation === false) parts.push('c.id is not null');
  const range: string[] = [];
  if (f.moveOut.from) {
    range.push('c.move_out_date >= ?');
    params.push(f.moveOut.from);
  }
  if (f.moveOut.to) {
    range.push('c.move_out_date <= ?');
    params.push(f.moveOut.to);
  }
  const dated = range.length ? range.join(' and ') : 'c.move_out_date is not null';
  // "入居中を含む": a room not moved out (no cancellation, or one not yet 退去済) matches whatever its date.
  parts.push(f.moveOut.includeOccupied ? `((${dated}) or c.status is distinct from 'MOVED_OUT')` : `(${dated})`);
  const has = (v: string | null | undefined) => v !== null && v !== undefined && v.trim() !== '';
  const needs = { property: has(f.apNo) || has(f.propertyName) || has(f.prefecture) || has(f.city), member: false, cancellation: true };
  return { sql: parts.join('\n   and '), params, needs };
}

/**
 * The search as two SQL statements (page, count), whatever the filter: rooms LEFT JOIN their
 * latest cancellation (one row per room by the unique partial index `cancellation_latest_room_key`)
 * and its settlement statement. Keyset paging on (APNo, room number, room id). Pure, so the
 * EXPLAIN script (scripts/cancellation-explain.ts) runs exactly what the API runs.
 */
export function searchSql(memberId: string, filter: CancellationSearchFilter, first: number, after: SearchCursor | null): { page: { sql: string; params: unknown[] }; count: { sql: string; params: unknown[] } } {
  const where = whereClause(memberId, filter);
  const pageFrom = fromClause(memberId, { property: true, member: true, cancellation: true });
  const countFrom = fromClause(memberId, where.needs);
  const keyset = after ? '\n   and (p.ap_no, r.room_number, r.id) > (?, ?, ?::uuid)' : '';
  return {
    page: {
      sql: `select r.id as room_id, p.ap_no, p.name as property_name, r.room_number, m.member_number, p.prefecture, p.city,
         to_char(r.move_in_date, 'YYYY-MM-DD') as move_in_date, c.id as cancellation_id, c.status,
         to_char(c.move_out_date, 'YYYY-MM-DD') as move_out_date, s.id as settlement_statement_id
  ${pageFrom.sql}
  left join tenancy.settlement_statement s on s.cancellation_id = c.id
 where ${where.sql}${keyset}
 order by p.ap_no, r.room_number, r.id
 limit ?`,
      params: [...pageFrom.params, ...where.params, ...(after ? [after.apNo, after.roomNumber, after.roomId] : []), first + 1],
    },
    count: { sql: `select count(*) as n\n  ${countFrom.sql}\n where ${where.sql}`, params: [...countFrom.params, ...where.params] },
  };
}

/** Plans at 200,000 rooms: docs/cancellation.md. */
export class CancellationSearchRepository {
  constructor(private readonly em: EntityManager) {}

  async page(filter: CancellationSearchFilter, first: number, after: SearchCursor | null): Promise<{ rows: SearchRow[]; hasNextPage: boolean }> {
    const { page } = searchSql(scopedMemberId(this.em), filter, first, after);
    const rows = await this.em.getConnection().execute<Record<string, unknown>[]>(page.sql, page.params);
    const mapped = rows.slice(0, first).map(
      (row): SearchRow => ({
        roomId: row.room_id as string,
        apNo: row.ap_no as string,
        propertyName: row.property_name as string,
        roomNumber: row.room_number as string,
        memberNumber: row.member_number as string,
        prefecture: row.prefecture as string,
        city: row.city as string,
        moveInDate: (row.move_in_date as string | null) ?? null,
        cancellationId: (row.cancellation_id as string | null) ?? null,
        status: (row.status as CancellationStatus | null) ?? null,
        moveOutDate: (row.move_out_date as string | null) ?? null,
        settlementStatementId: (row.settlement_statement_id as string | null) ?? null,
      }),
    );
    return { rows: mapped, hasNextPage: rows.length > first };
  }

  async count(filter: CancellationSearchFilter): Promise<number> {
    const { count } = searchSql(scopedMemberId(this.em), filter, 0, null);
    const rows = await this.em.getConnection().execute<{ n: string }[]>(count.sql, count.params);
    return Number(rows[0]?.n ?? 0);
  }
}
