// Runs wrk and reads its report: requests/s, latency percentiles, timeouts and errors.
import { spawn } from 'node:child_process';

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** `1.23ms` → 1.23 */
function toMs(text) {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2]] : Number.NaN;
}

/** Parses the text wrk prints with --latency. */
export function parseWrk(output) {
  const number = (re) => Number(re.exec(output)?.[1] ?? 0);
  const percentile = (p) => toMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(output)?.[1] ?? '');
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const requests = number(/(\d+) requests in/);
  const seconds = toMs(/requests in ([\d.]+\w+),/.exec(output)?.[1] ?? '') / 1000;
  const timeouts = socket ? Number(socket[4]) : 0;
  const errors =
    (socket ? Number(socket[1]) + Number(socket[2]) + Number(socket[3]) : 0) +
    number(/Non-2xx or 3xx responses: (\d+)/);
  return {
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: percentile(50),
    p99: percentile(99),
    requests,
    timeouts,
    // Connection-level failures plus answers that were not 2xx/3xx.
    errors,
    // Answers that came in time and were not errors: wrk's req/s counts late ones too.
    goodRps: Math.max(0, requests - timeouts - errors) / seconds,
  };
}

/** Runs `wrk` against `url` and resolves with the parsed report. */
export function runWrk(
  url,
  { connections, duration, threads = 2, timeout = '1s', script, scriptArgs = [], headers = {} },
) {
  const args = [
    '-t',
    String(threads),
    '-c',
    String(connections),
    '-d',
    `${duration}s`,
    '--timeout',
    timeout,
    '--latency',
  ];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  if (script) args.push('-s', script);
  args.push(url);
  // wrk hands what follows `--` to the script's init(args).
  if (scriptArgs.length > 0) args.push('--', ...scriptArgs.map(String));
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve({ ...parseWrk(output), raw: output })
        : reject(new Error(`wrk exited with ${code}:\n${output}`)),
    );
  });
}
