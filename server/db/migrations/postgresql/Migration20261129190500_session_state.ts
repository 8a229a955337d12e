import { Migration } from '@mikro-orm/migrations';

/**
 * session_state.version moves on with every change that can end a session or change who it signs in as: a session
 * ended or moved, a user's account changed or deleted, a client's portal access changed or the client deleted.
 * Triggers move it, in the changing transaction, whoever writes (any instance, any code path, a hand-run SQL), so a
 * session checked at version N is known unchanged while the version is still N (server/auth/session-checks.ts).
 * Touching a session's last_seen_at does not move it.
 */
export class Migration20261129190500_session_state extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "session_state" ("id" int not null primary key, "version" bigint not null);');
    this.addSql('insert into "session_state" ("id", "version") values (1, 0);');
    this.addSql(`create function session_state_bump() returns trigger language plpgsql as $$
      begin
        update session_state set version = version + 1 where id = 1;
        return null;
      end $$;`);
    const bump = 'for each row execute function session_state_bump()';
    this.addSql(`create trigger session_state_session_delete after delete on session ${bump};`);
    this.addSql(
      `create trigger session_state_session_update after update of token_hash, user_id, expires_at on session
        for each row when (old.token_hash is distinct from new.token_hash or old.user_id is distinct from new.user_id
          or old.expires_at is distinct from new.expires_at)
        execute function session_state_bump();`,
    );
    this.addSql(`create trigger session_state_user_delete after delete on app_user ${bump};`);
    this.addSql(
      `create trigger session_state_user_update after update of email, name, role, active, client_id on app_user
        for each row when (old.email is distinct from new.email or old.name is distinct from new.name
          or old.role is distinct from new.role or old.active is distinct from new.active
          or old.client_id is distinct from new.client_id)
        execute function session_state_bump();`,
    );
    this.addSql(`create trigger session_state_client_delete after delete on client ${bump};`);
    this.addSql(
      `create trigger session_state_client_update after update of login_allowed, deleted_at on client
        for each row when (old.login_allowed is distinct from new.login_allowed
          or old.deleted_at is distinct from new.deleted_at)
        execute function session_state_bump();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop function if exists session_state_bump cascade;');
    this.addSql('drop table if exists "session_state";');
  }
}
