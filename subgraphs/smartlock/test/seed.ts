import { randomUUID } from 'node:crypto';
import type { Stack } from '@portal/testing';
import type { VerificationStatus } from '../src/modules/recipient/verification-status.rule.ts';

export interface ResidentSeed {
  slot?: 1 | 2;
  name?: string;
  kana?: string;
  phone?: string | null;
  email?: string | null;
  gender?: 'MALE' | 'FEMALE' | null;
  relation?: 'EMPLOYEE' | 'OTHER' | null;
  birthDate?: string | null;
  nationality?: 'JAPAN' | 'OTHER' | null;
}

export interface RecipientSeed {
  recipientCode?: string;
  nameKanji?: string;
  nameKana?: string;
  phone?: string | null;
  email?: string;
  status?: VerificationStatus;
  sentAt?: Date | null;
  failedAttempts?: number;
}

let n = 0;
const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

/** Writes smartlock's own rows for one member straight into its schema (tests only). */
export function smartlockSeed(stack: Stack, memberId: string) {
  const seed = {
    async resident(roomId: string, o: ResidentSeed = {}): Promise<{ id: string }> {
      const id = randomUUID();
      await stack.sql(
        `insert into smartlock.resident (id, member_id, room_id, slot, name, kana, phone, email, gender, relation, birth_date, nationality)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [id, memberId, roomId, o.slot ?? 1, o.name ?? '入居 太郎', o.kana ?? 'ﾆｭｳｷｮ ﾀﾛｳ', o.phone === undefined ? '080-0000-0000' : o.phone,
          o.email === undefined ? `resident-${unique()}@example.jp` : o.email, o.gender === undefined ? 'MALE' : o.gender,
          o.relation === undefined ? 'EMPLOYEE' : o.relation, o.birthDate === undefined ? '2000-01-01' : o.birthDate, o.nationality === undefined ? 'JAPAN' : o.nationality],
      );
      return { id };
    },
    /** Resident 1 in each of the given rooms, in one statement. */
    async residentsFor(roomIds: string[]): Promise<void> {
      await stack.sql(
        `insert into smartlock.resident (id, member_id, room_id, slot, name, kana)
         select gen_random_uuid(), $1, r, 1, '入居 太郎', 'ﾆｭｳｷｮ ﾀﾛｳ' from unnest($2::uuid[]) as r`,
        [memberId, roomIds],
      );
    },
    async recipient(o: RecipientSeed = {}): Promise<{ id: string; recipientCode: string }> {
      const id = randomUUID();
      const recipientCode = o.recipientCode ?? `R-${unique()}`;
      const status = o.status ?? 'VERIFIED';
      const sentAt = o.sentAt === undefined ? new Date() : o.sentAt;
      await stack.sql(
        `insert into smartlock.smartlock_recipient (id, member_id, recipient_code, name_kanji, name_kana, phone, email, verification_code_hash,
           verification_status, verification_sent_at, verified_at, failed_attempts)
         values ($1,$2,$3,$4,$5,$6,$7,'scrypt$not$used',$8,$9,$10,$11)`,
        [id, memberId, recipientCode, o.nameKanji ?? '受取 太郎', o.nameKana ?? 'ウケトリ タロウ', o.phone ?? null, o.email ?? `${recipientCode.toLowerCase()}@example.jp`,
          status, sentAt, status === 'VERIFIED' ? (sentAt ?? new Date()) : null, o.failedAttempts ?? 0],
      );
      return { id, recipientCode };
    },
    async assign(roomIds: string | string[], recipientId: string): Promise<void> {
      await stack.sql(
        `insert into smartlock.room_recipient (room_id, member_id, recipient_id) select r, $1, $2 from unnest($3::uuid[]) as r`,
        [memberId, recipientId, Array.isArray(roomIds) ? roomIds : [roomIds]],
      );
    },
  };
  return seed;
}

/** A member with one account of the given permissions, logged in. */
export async function memberWithAccount(stack: Stack, permissions: Parameters<Stack['seed']['account']>[1] = {}) {
  const member = await stack.seed.member();
  const account = await stack.seed.account(member.id, permissions);
  const token = await stack.login(account.loginId, account.password);
  return { member, account, token, smartlock: smartlockSeed(stack, member.id) };
}

export const codesOf = (errors: { extensions?: Record<string, unknown> }[] | undefined) => (errors ?? []).map((e) => e.extensions?.code);
