import { accessSync, constants, mkdirSync } from 'node:fs';
import { startApp } from './app';
import { type AppConfig, configFromEnv } from './config';
import { log } from './ops/log';
import { checkServersReachable, explainStartFailure } from './ops/startup';

/** The settings once read, and the SQLite data directory once in use, so a failed start can name what is wrong. */
let config: AppConfig | null = null;
let sqliteDataDir: string | null = null;

/**
 * A line for the person starting the app, as plain text beside the JSON log: where it runs, the first
 * administrator's generated password (which must never reach the log), why it could not start.
 */
function say(line: string, stream: NodeJS.WriteStream = process.stdout): void {
  stream.write(`${line}\n`);
}

async function main(): Promise<void> {
  config = configFromEnv();
  log.level = config.logLevel ?? 'info';
  if (!config.database.databaseUrl) {
    sqliteDataDir = config.dataDir;
    mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.W_OK);
  }
  await checkServersReachable(config);
  const app = await startApp(config);
  const database = config.database.databaseUrl ? 'PostgreSQL' : `SQLite ${config.database.sqlitePath}`;
  log.info({ url: app.url, database, metrics: Boolean(config.metricsToken) }, 'Kartoteka started');
  say(`Kartoteka is running at ${app.url} (${database})`);
  if (app.firstAdmin) {
    say(
      app.firstAdmin.generatedPassword
        ? `First administrator: ${app.firstAdmin.email} with password ${app.firstAdmin.generatedPassword} (shown only this once).`
        : `First administrator: ${app.firstAdmin.email} (password from ADMIN_PASSWORD).`,
    );
  }
  const stop = (signal: string) => {
    log.info({ signal }, 'Shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.fatal({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // One clear line, not a stack trace: start-up errors are about settings people can fix.
  say(`Kartoteka could not start: ${explainStartFailure(error, config, sqliteDataDir)}`, process.stderr);
  process.exit(1);
});
