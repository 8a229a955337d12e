import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../mail/test-smtp';

/**
 * A redis-server of a test's own on a free port, without persistence, which the test may kill and start
 * again on the same port (the machine's Redis is shared and must stay up).
 */
export interface PrivateRedis {
  url: string;
  /** SIGKILL: every connection drops, every key is gone. */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port; resolves once it accepts connections. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let output = '';
  const launch = async () => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    started.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    let failed: Error | null = null;
    started.once('error', (error) => {
      failed = error;
    });
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await accepting(port))) {
      if (failed || started.exitCode !== null || Date.now() > deadline) {
        throw new Error(`redis-server did not start on port ${port}: ${failed ?? ''}\n${output}`);
      }
      await new Promise((wait) => setTimeout(wait, 20));
    }
  };
  const signal = async (name: NodeJS.Signals) => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill(name);
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill: () => signal('SIGKILL'),
    restart: launch,
    stop: () => signal('SIGTERM'),
  };
}
