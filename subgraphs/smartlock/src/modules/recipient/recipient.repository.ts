import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, type FilterQuery } from '@mikro-orm/core';
import { escapeLike, isUuid } from '../ids.ts';
import { RoomRecipient, SmartlockRecipient, type IRoomRecipient, type ISmartlockRecipient } from './recipient.entity.ts';
import { MAX_FAILED_ATTEMPTS, VERIFICATION_VALIDITY_MS, type VerificationStatus } from './verification-status.rule.ts';

/** Search conditions of 受取者情報管理; each empty one is ignored ("empty search = all"). */
export interface RecipientFilter {
  recipientCode?: string | null;
  /** Recipient ID must match exactly (完全一致), ignoring case; otherwise it is a partial match. */
  exactMatch?: boolean | null;
  /** Partial match on the name in kanji or kana. */
  name?: string | null;
  /** Partial match on the e-mail address. */
  email?: string | null;
  verificationStatus?: VerificationStatus | null;
}

/** Keyset position: recipients are listed by recipient ID, then id. */
export interface RecipientCursor {
  recipientCode: string;
  id: string;
}

export function encodeRecipientCursor(c: RecipientCursor): string {
  return Buffer.from(JSON.stringify([c.recipientCode, c.id])).toString('base64url');
}

export function decodeRecipientCursor(cursor: string): RecipientCursor | null {
  try {
    const [recipientCode, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof recipientCode !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
    return { recipientCode, id };
  } catch {
    return null;
  }
}

/**
 * The verification status as SQL, the same as `verificationStatus()` (the rule file explains the
 * edges): a link sent at or before `now - 14 days` is expired; 5 wrong codes fail; FAILED wins over
 * EXPIRED; VERIFIED is final. A test holds the two in step.
 */
export function verificationStatusWhere(status: VerificationStatus, now: Date): FilterQuery<ISmartlockRecipient> {
  const expiredIfSentBy = new Date(now.getTime() - VERIFICATION_VALIDITY_MS);
  switch (status) {
    case 'VERIFIED':
      return { verificationStatus: 'VERIFIED' };
    case 'FAILED':
      return { verificationStatus: { $ne: 'VERIFIED' }, $or: [{ verificationStatus: 'FAILED' }, { failedAttempts: { $gte: MAX_FAILED_ATTEMPTS } }] };
    case 'EXPIRED':
      return {
        verificationStatus: { $in: ['UNVERIFIED', 'EXPIRED'] },
        failedAttempts: { $lt: MAX_FAILED_ATTEMPTS },
        $or: [{ verificationStatus: 'EXPIRED' }, { verificationSentAt: { $lte: expiredIfSentBy } }],
      };
    case 'UNVERIFIED':
      return {
        verificationStatus: 'UNVERIFIED',
        failedAttempts: { $lt: MAX_FAILED_ATTEMPTS },
        $or: [{ verificationSentAt: null }, { verificationSentAt: { $gt: expiredIfSentBy } }],
      };
  }
}

/** Queries on smartlock recipients; member scoping comes from the default filter, never from here. */
export class RecipientRepository {
  constructor(private readonly em: EntityManager) {}

  private where(filter: RecipientFilter | null | undefined, now: Date): FilterQuery<ISmartlockRecipient> {
    const f = filter ?? {};
    const and: FilterQuery<ISmartlockRecipient>[] = [];
    const code = f.recipientCode?.trim();
    if (code) {
      and.push(
        f.exactMatch
          ? ({ [raw((alias: string) => `lower(${alias}.recipient_code)`)]: code.toLowerCase() } as FilterQuery<ISmartlockRecipient>)
          : { recipientCode: { $ilike: `%${escapeLike(code)}%` } },
      );
    }
    const name = f.name?.trim();
    if (name) {
      const pattern = `%${escapeLike(name)}%`;
      and.push({ $or: [{ nameKanji: { $ilike: pattern } }, { nameKana: { $ilike: pattern } }] });
    }
    const email = f.email?.trim();
    if (email) and.push({ email: { $ilike: `%${escapeLike(email)}%` } });
    if (f.verificationStatus) and.push(verificationStatusWhere(f.verificationStatus, now));
    return and.length === 0 ? {} : { $and: and };
  }

  async page(filter: RecipientFilter | null | undefined, now: Date, first: number, after: RecipientCursor | null): Promise<{ rows: ISmartlockRecipient[]; hasNextPage: boolean }> {
    const base = this.where(filter, now);
    const where: FilterQuery<ISmartlockRecipient> = after
      ? {
          $and: [
            base,
            { $or: [{ recipientCode: { $gt: after.recipientCode } }, { recipientCode: after.recipientCode, id: { $gt: after.id } }] },
          ],
        }
      : base;
    const rows = await this.em.find(SmartlockRecipient, where, { orderBy: [{ recipientCode: 'asc' }, { id: 'asc' }], limit: first + 1 });
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  count(filter: RecipientFilter | null | undefined, now: Date): Promise<number> {
    return this.em.count(SmartlockRecipient, this.where(filter, now));
  }

  /** The recipient assignments of the given rooms, with their recipients. */
  async assignmentsByRoomIds(roomIds: readonly string[]): Promise<IRoomRecipient[]> {
    const ids = [...new Set(roomIds.filter(isUuid))];
    if (ids.length === 0) return [];
    return this.em.find(RoomRecipient, { roomId: { $in: ids } }, { populate: ['recipient'] });
  }

  /** The room assignments of the given recipients. */
  async assignmentsByRecipientIds(recipientIds: readonly string[]): Promise<IRoomRecipient[]> {
    const ids = [...new Set(recipientIds.filter(isUuid))];
    if (ids.length === 0) return [];
    return this.em.find(RoomRecipient, { recipient: { $in: ids } }, { orderBy: [{ assignedAt: 'asc' }, { roomId: 'asc' }] });
  }
}
