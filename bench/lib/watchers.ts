import { fork } from 'node:child_process';
import { resolve } from 'node:path';

export interface Watchers {
  /** Events received so far by all the watchers together, and subscriptions that failed. */
  count(): Promise<{ received: number; failed: number }>;
  stop(): Promise<void>;
}

/** One live.events subscriber per cookie, in a process of its own (watchers-process.ts); resolves once all are live. */
export async function startWatchers(url: string, cookies: string[]): Promise<Watchers> {
  const child = fork(resolve(import.meta.dirname, 'watchers-process.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WATCH_URL: url, WATCH_COOKIES: JSON.stringify(cookies) },
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await new Promise<void>((ready, fail) => {
    child.once('message', () => ready());
    void exited.then(() => fail(new Error('The watchers process exited before its subscriptions were live.')));
  });
  return {
    count: () =>
      new Promise((answer) => {
        child.once('message', (message) => answer(message as { received: number; failed: number }));
        child.send('count');
      }),
    async stop() {
      child.send('stop');
      await exited;
    },
  };
}
