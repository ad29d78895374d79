// What the benchmarks share: where their data lives and how memory is read.
import { readFileSync } from 'node:fs';

/** `MONGODB_URI` (or the local default) with its database replaced by `database`. */
export function mongoUri(database) {
  const url = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/todo');
  url.pathname = `/${database}`;
  return url.toString();
}

/** Peak resident set size of a process so far (VmHWM), in MB. */
export function peakRssMb(pid) {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}
