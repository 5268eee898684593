/**
 * The member filter every member-private entity carries, on by default. Its parameter is bound once
 * per request from the verified identity (subgraph-kit); a query without it fails instead of
 * returning another member's rows.
 */
export const memberFilter = {
  member: {
    name: 'member',
    cond: (args: Record<string, unknown>) => ({ memberId: args.memberId as string }),
    default: true,
  },
};
