// Loaded into the app process by bench/memory.ts only (node --expose-gc --import): SIGUSR2 runs a full garbage
// collection, so the benchmark can tell memory the connections hold from garbage not yet collected.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
});
