import { Migration } from '@mikro-orm/migrations';
import { memberRowSecurityDdl } from '@portal/subgraph-kit';

/**
 * Row-level security, the second line behind the ORM's member filter (docs/architecture.md,
 * "Row-level security"): every member-scoped table of tenancy is ENABLED and FORCED with the policy
 * `member_rows` on its member column. The tables left out are listed with their reason in
 * `tenancy.sharedTables` (src/app.ts); test/security/row-level-security.test.ts checks both.
 */
export class Migration20261207000000_row_level_security extends Migration {
  override name = 'Migration20261207000000_row_level_security';

  override up(): void {
    this.addSql(memberRowSecurityDdl('tenancy', {
      member: 'id',
      account: 'member_id',
      session: 'member_id',
      ip_allow_entry: 'member_id',
      room: 'member_id',
      lease: 'member_id',
      audit_event: 'member_id',
      cancellation: 'member_id',
      cancellation_approval: 'member_id',
      cancellation_event: 'member_id',
      settlement_statement: 'member_id',
    }));
    // The gateway's identity contract runs before any member is known (across members by design);
    // a function-level SET holds only while it runs, so the caller's own scope is untouched.
    this.addSql(`alter function tenancy.resolve_session(bytea, interval) set portal.scope = 'system'`);
    // Login IDs are unique across all members: the one question a member's request may ask about
    // other members' accounts, answered without showing their rows.
    this.addSql(`
      create function tenancy.login_id_owner(p_login_id varchar) returns uuid
      language sql stable set portal.scope = 'system' as $fn$
        select id from tenancy.account where login_id = p_login_id
      $fn$;
    `);
  }
}
