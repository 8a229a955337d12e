/**
 * Runs every benchmark in this folder (or those named: `npm run bench -- list`), prints one table and writes
 * bench/results/latest.json with the machine it ran on. Benchmarks print figures and targets; they never fail
 * on a timing.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bench, BenchResult, BenchRow } from './report';

const HELPERS = new Set(['run.ts', 'report.ts']);
const wanted = process.argv.slice(2);
const files = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith('.ts') && !HELPERS.has(file))
  .filter((file) => wanted.length === 0 || wanted.includes(file.replace(/\.ts$/, '')))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark named ${wanted.join(', ')} in bench/.`);
  process.exit(1);
}

const results: BenchResult[] = [];
for (const file of files) {
  const bench = (await import(pathToFileURL(join(import.meta.dirname, file)).href)) as Bench;
  console.log(`\n== ${file} ==`);
  results.push(await bench.run());
}

const ms = (value: number | undefined) => (value === undefined ? '' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const header = [
  'bench',
  'measure',
  'p50 ms',
  'p95 ms',
  'direct p50',
  'direct p95',
  'ratio p50',
  'ratio p95',
  'target',
  'met',
];
const lines = results.flatMap((result) =>
  result.rows.map((row: BenchRow) => [
    result.bench,
    row.value ? `${row.measure}: ${row.value}` : row.measure,
    ms(row.p50),
    ms(row.p95),
    ms(row.baselineP50),
    ms(row.baselineP95),
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`,
    row.ratioP95 === undefined ? '' : `${row.ratioP95.toFixed(2)}x`,
    row.target ?? '',
    row.met === undefined ? '' : row.met ? 'yes' : 'NO',
  ]),
);
const widths = header.map((title, index) => Math.max(title.length, ...lines.map((line) => line[index]?.length ?? 0)));
const format = (cells: string[]) =>
  cells
    .map((cell, index) =>
      index >= 2 && index <= 7 ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0),
    )
    .join('  ');
console.log(`\n${format(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
for (const line of lines) console.log(format(line));
for (const result of results) for (const note of result.notes) console.log(`* ${result.bench}: ${note}`);

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / 1024 ** 3),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
const out = join(import.meta.dirname, 'results', 'latest.json');
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2)}\n`);
console.log(
  `\nMachine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}. Wrote ${out}`,
);
