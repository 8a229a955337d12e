import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface BroadcastServer {
  url: string;
  /** Commits one row, then sends `bytes` to every socket connected at `${url}/ws`; resolves when it has sent. */
  broadcast(bytes: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts bench/lib/broadcast-server.ts in its own process, on its own SQLite file. */
export async function startBroadcastServer(sqlitePath: string): Promise<BroadcastServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'broadcast-server.ts')], {
    env: { ...process.env, SQLITE_PATH: sqlitePath },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((resolvePort, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) resolvePort(Number(match[1]));
    });
    void exited.then(() => reject(new Error(`The broadcast server exited: ${output}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async broadcast(bytes) {
      const response = await fetch(`${url}/broadcast?bytes=${bytes}`, { method: 'POST' });
      if (!response.ok) throw new Error(`broadcast failed: ${response.status} ${await response.text()}`);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
