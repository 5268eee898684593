import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadEnv } from '@portal/config';
import { runAsSystem, systemClock } from '@portal/platform';
import { appDatabaseUrl, initOrm } from '@portal/subgraph-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { tenancy } from './app.ts';
import { resetAllowList } from './modules/access-restriction/access-restriction.service.ts';

const USAGE = `Usage: npm run operator -- <command>

Commands:
  reset-allow-list <memberNumber> [--reason <text>] [--by <operator name>]
      Removes every IP allow-list entry of the member (for a member that locked itself out) and
      records ALLOW_LIST_RESET in the member's audit trail, in one transaction.

Environment: DATABASE_URL (the database holding the tenancy schema).`;

/**
 * The back office's command line (`npm run operator -- …`), for actions that must work when the
 * member cannot log in. Returns the exit code and what to print; scripts/operator.ts runs it.
 */
export async function runOperatorCommand(argv: string[], source: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { reason: { type: 'string' }, by: { type: 'string' }, help: { type: 'boolean' } } });
  const [command, memberNumber] = positionals;
  if (values.help || command !== 'reset-allow-list' || !memberNumber) return { code: values.help ? 0 : 2, output: USAGE };
  const env = loadEnv('operator-cli', { DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }) }, source);
  // As tenancy's run-time role (row-level security applies), across members like the back office.
  const orm = await initOrm({ schema: 'tenancy', databaseUrl: appDatabaseUrl('tenancy', env.DATABASE_URL, undefined), entities: tenancy.entities, migrations: tenancy.migrations, poolSize: 2 });
  try {
    const by = (values.by ?? source.USER ?? 'unknown').slice(0, 40);
    const result = await runAsSystem('operator CLI reset-allow-list', () =>
      resetAllowList(
        orm.em.fork() as EntityManager,
        { clock: systemClock, identity: { kind: 'operator', accountId: null, memberId: null, clientIp: '', requestId: `cli-${randomUUID()}` } },
        memberNumber,
        { operatorLoginId: `cli:${by}`, reason: values.reason ?? null },
      ),
    );
    if (!result.ok) return { code: 1, output: result.userErrors.map((e) => `${e.code}: ${e.message} ${e.messageJa}`).join('\n') };
    return {
      code: 0,
      output: result.removed.length
        ? `Reset the IP allow-list of member ${memberNumber}: removed ${result.removed.length} entr${result.removed.length === 1 ? 'y' : 'ies'} (${result.removed.join(', ')}). Recorded in the audit trail.`
        : `Member ${memberNumber} had no IP allow-list entries; nothing removed. Recorded in the audit trail.`,
    };
  } finally {
    await orm.close(true);
  }
}
