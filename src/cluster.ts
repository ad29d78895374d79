import cluster from 'node:cluster';
import type { AppConfig } from './config/configuration.js';

/** More restarts than this within the window is a crash loop: give up, let the outer supervisor see it. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 10_000;
const EX_CONFIG = 78;

/**
 * With CLUSTER_WORKERS > 1 the entrypoint becomes this small supervisor: it forks that many
 * API processes, which share PORT (Node's cluster module hands connections out round-robin),
 * restarts any that dies, and on SIGTERM/SIGINT passes the signal on — each process then
 * shuts down gracefully on its own — and exits 0 once all have exited. It is how one machine
 * uses every core with nothing else installed; under Kubernetes or supervisord keep it at 1
 * and let those run more processes. Node's own module does the work, so no process manager
 * (pm2 and the like) is pulled in for it.
 */
export function superviseApiProcesses(config: AppConfig): void {
  let live = 0;
  let stopping = false;
  const restarts: number[] = [];
  const fork = () => {
    live += 1;
    cluster.fork();
  };

  cluster.on('exit', (worker, code, signal) => {
    live -= 1;
    if (stopping) {
      if (live === 0) process.exit(); // with process.exitCode, 0 unless a crash loop set it
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts[0] < now - RESTART_WINDOW_MS) restarts.shift();
    if (code === EX_CONFIG || restarts.length > MAX_RESTARTS) {
      process.stderr.write(`API processes keep failing (last exit ${signal ?? code}); stopping\n`);
      process.exitCode = code === EX_CONFIG ? EX_CONFIG : 1;
      stop();
      return;
    }
    process.stderr.write(
      `API process ${worker.process.pid} exited (${signal ?? code}); starting another\n`,
    );
    fork();
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    // Each process bounds its own shutdown; this only guards against one that hangs.
    setTimeout(
      () => process.exit(),
      config.shutdownDelayMs + config.shutdownGraceMs + 1_000,
    ).unref();
    if (live === 0) process.exit();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  for (let i = 0; i < config.clusterWorkers; i += 1) fork();
}
