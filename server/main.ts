import { accessSync, constants, mkdirSync } from 'node:fs';
import { startApp } from './app';
import { configFromEnv } from './config';

async function main(): Promise<void> {
  const config = configFromEnv();
  if (!config.database.databaseUrl) {
    mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.W_OK);
  }
  const app = await startApp(config);
  console.log(
    `Kartoteka is running at ${app.url} (${config.database.databaseUrl ? 'PostgreSQL' : `SQLite ${config.database.sqlitePath}`})`,
  );
  if (app.firstAdmin) {
    console.log(
      app.firstAdmin.generatedPassword
        ? `First administrator: ${app.firstAdmin.email} with password ${app.firstAdmin.generatedPassword} (shown only this once).`
        : `First administrator: ${app.firstAdmin.email} (password from ADMIN_PASSWORD).`,
    );
  }
  const stop = (signal: string) => {
    console.log(`${signal}: shutting down…`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // One clear line, not a stack trace: start-up errors are about settings people can fix.
  console.error(`Kartoteka could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
