import { Migration } from '@mikro-orm/migrations';

export class Migration20261129184327_list_by_id_indexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index \`client_live_by_id\` on \`client\` (\`id\`, \`deleted_at\`, \`status\`, \`category_id\`, \`subcategory_id\`, \`country\`, \`created_at\`, \`sort_name\`);`);

    this.addSql(`create index \`contract_type_client\` on \`contract\` (\`type_id\`, \`client_id\`);`);
  }

}
