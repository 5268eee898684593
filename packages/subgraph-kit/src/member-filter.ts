import { GraphQLError } from 'graphql';

/** Name of the member filter; the server binds its `memberId` once per request from the identity. */
export const MEMBER_FILTER = 'member';

/**
 * The default-on filter every member-private entity carries: rows of the caller's member only.
 * A caller without a member (an operator) is refused with FORBIDDEN instead of seeing anything;
 * code that legitimately reads across members (login, operator services) opts out explicitly
 * with `filters: false` or `filters: { member: false }`.
 * `column` is the entity property holding the member id (`id` on the member entity itself).
 */
export function memberFilterOn(column = 'memberId') {
  return {
    [MEMBER_FILTER]: {
      name: MEMBER_FILTER,
      cond: (args: Record<string, unknown>) => {
        if (typeof args.memberId !== 'string') {
          throw new GraphQLError('This data belongs to a corporate member; log in with a member account. 法人会員の担当者でログインしてください。', { extensions: { code: 'FORBIDDEN' } });
        }
        return { [column]: args.memberId };
      },
      default: true,
    },
  };
}

export const memberFilter = memberFilterOn();
