import { Migration } from '@mikro-orm/migrations';

/** 宛先2 is a contact person (様) or a company/organisation name (御中), M:1840. */
export class Migration20261207040000_addressee_kind extends Migration {
  override name = 'Migration20261207040000_addressee_kind';

  override up(): void {
    this.addSql(`
      alter table tenancy.member add column addressee_kind text not null default 'CONTACT_PERSON'
        check (addressee_kind in ('CONTACT_PERSON', 'ORGANISATION'));
    `);
  }
}
