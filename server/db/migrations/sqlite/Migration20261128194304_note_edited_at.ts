import { Migration } from '@mikro-orm/migrations';

export class Migration20261128194304_note_edited_at extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`note\` add column \`edited_at\` datetime null;`);
  }

}
