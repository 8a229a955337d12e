import { Migration } from '@mikro-orm/migrations';

export class Migration20261129184327_list_by_id_indexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "client_live_by_id" on "client" ("id", "deleted_at", "status", "category_id", "subcategory_id", "country", "created_at", "sort_name");`);

    this.addSql(`drop index "contract_type_id_index";`);

    this.addSql(`create index "contract_type_client" on "contract" ("type_id", "client_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "client_live_by_id";`);

    this.addSql(`drop index "contract_type_client";`);

    this.addSql(`create index "contract_type_id_index" on "contract" ("type_id");`);
  }

}
