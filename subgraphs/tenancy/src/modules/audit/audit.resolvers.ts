import { GraphQLError } from 'graphql';
import { AUDIT_ACTION_LABELS, type AuditAction } from './audit-actions.ts';
import { AuditService } from './audit.service.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

const MAX_PAGE = 200;
const encodeCursor = (seq: string) => Buffer.from(`audit:${seq}`).toString('base64url');
function decodeCursor(cursor: string): string {
  const match = /^audit:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new GraphQLError('after is not a valid cursor', { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  return match[1]!;
}

export const auditResolvers: Resolvers = {
  Query: {
    async auditEvents(_, args, ctx) {
      const first = args.first ?? 50;
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw new GraphQLError(`first must be between 1 and ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
      const { rows, hasNextPage, totalCount } = await new AuditService(ctx).page(args.filter, first, args.after ? decodeCursor(args.after) : null);
      const edges = rows.map((node) => ({ node, cursor: encodeCursor(node.seq) }));
      return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  },
  Mutation: {
    async exportAuditEvents(_, args, ctx) {
      const result = await new AuditService(ctx).export(args.filter);
      return result.ok ? { ...result, userErrors: [] } : { url: null, filename: null, expiresAt: null, rowCount: null, userErrors: result.userErrors };
    },
  },
  AuditEvent: {
    actionLabel: (e) => AUDIT_ACTION_LABELS[e.action as AuditAction]?.ja ?? e.action,
    details: (e) => JSON.stringify(e.details ?? {}),
  },
};
