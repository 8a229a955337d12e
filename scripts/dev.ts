/**
 * `npm run dev`: the server with reload (tsx watch) and the Vite dev server (with the /trpc proxy from
 * vite.config.ts) side by side, each line prefixed with its source. Ctrl-C or SIGTERM stops both; if one
 * exits on its own, the other is stopped too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);

const colours = { server: '\x1b[36m', vite: '\x1b[35m' } as const;
const reset = '\x1b[0m';
const useColour = process.stdout.isTTY;

interface Task {
  name: keyof typeof colours;
  command: string;
  args: string[];
}

const tasks: Task[] = [
  { name: 'server', command: bin('tsx'), args: ['watch', '--clear-screen=false', 'server/main.ts'] },
  { name: 'vite', command: bin('vite'), args: [] },
];

const children = new Map<string, ChildProcess>();
let stopping = false;
let exitCode = 0;

function prefix(name: Task['name']): string {
  const label = `[${name}]`.padEnd(9);
  return useColour ? `${colours[name]}${label}${reset}` : label;
}

function pipe(name: Task['name'], stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => out.write(`${prefix(name)} ${line}\n`));
}

function stopAll(signal: NodeJS.Signals = 'SIGTERM'): void {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
  // A child that ignores the polite signal is killed after a grace period.
  setTimeout(() => {
    for (const child of children.values()) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 5000).unref();
}

for (const task of tasks) {
  const child = spawn(task.command, task.args, {
    cwd: root,
    // The children write to pipes, so they would drop their colours; keep them when we print to a terminal.
    env: useColour && !process.env.NO_COLOR ? { FORCE_COLOR: '1', ...process.env } : process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(task.name, child);
  pipe(task.name, child.stdout, process.stdout);
  pipe(task.name, child.stderr, process.stderr);
  child.on('error', (error) => {
    process.stderr.write(`${prefix(task.name)} could not start: ${error.message}\n`);
    exitCode = 1;
    stopAll();
    // A process that never started emits no 'exit'.
    if (child.pid === undefined) {
      children.delete(task.name);
      if (children.size === 0) process.exit(exitCode);
    }
  });
  child.on('exit', (code, signal) => {
    children.delete(task.name);
    if (!stopping) {
      process.stderr.write(`${prefix(task.name)} exited (${signal ?? code}); stopping the rest.\n`);
      if (code) exitCode = code;
      stopAll();
    }
    if (children.size === 0) process.exit(exitCode);
  });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => stopAll(signal === 'SIGHUP' ? 'SIGTERM' : signal));
}
