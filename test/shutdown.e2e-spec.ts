import { bearer } from './support/auth.js';
import { spawnApi } from './support/spawned-api.js';
import { sleep, until } from './support/wait.js';

interface Outcome {
  sentAt: number;
  status: number | 'error';
}

describe('graceful shutdown under load (e2e)', () => {
  it('finishes every request accepted before SIGTERM, reports 503 readiness while draining, exits 0', async () => {
    const {
      process: api,
      url: base,
      token,
    } = await spawnApi('todo_e2e_shutdown', { SHUTDOWN_DELAY_MS: '1000' });

    const outcomes: Outcome[] = [];
    const readiness: number[] = [];
    let signalledAt = Number.POSITIVE_INFINITY;
    let stop = false;
    // 16 clients on keep-alive connections (fetch pools and reuses them), without pause.
    const clients = Array.from({ length: 16 }, async (_, i) => {
      while (!stop) {
        const sentAt = performance.now();
        try {
          const response = await fetch(`${base}/todos?limit=${(i % 5) + 1}`, {
            headers: bearer(token),
          });
          await response.arrayBuffer();
          outcomes.push({ sentAt, status: response.status });
        } catch {
          outcomes.push({ sentAt, status: 'error' });
          await sleep(20);
        }
      }
    });
    const prober = (async () => {
      while (!stop) {
        if (performance.now() > signalledAt) {
          readiness.push(
            await fetch(`${base}/health/ready`).then(
              (r) => r.status,
              () => 0,
            ),
          );
        }
        await sleep(50);
      }
    })();

    // A second of load, and more than 100 requests answered: a loaded machine may answer
    // fewer in that second, and the signal then waits for them.
    await sleep(1_000);
    const answered = { timeoutMs: 20_000, intervalMs: 20, message: 'over 100 requests answered' };
    await until(
      () => outcomes.length,
      (n) => n > 100,
      answered,
    );
    signalledAt = performance.now();
    api.child.kill('SIGTERM');
    const exit = await api.exited;
    stop = true;
    await Promise.all([...clients, prober]);

    const before = outcomes.filter((o) => o.sentAt < signalledAt);
    const failedBefore = before.filter((o) => o.status !== 200);
    process.stdout.write(
      `shutdown: ${before.length} requests before SIGTERM (${failedBefore.length} failed), ` +
        `${outcomes.length - before.length} after; readiness after SIGTERM: ${JSON.stringify([...new Set(readiness)])}\n`,
    );
    expect(before.length).toBeGreaterThan(100);
    expect(failedBefore).toEqual([]);
    // A probe already on its way when the signal is sent may be answered before the process
    // handles the signal; from the first 503 on, readiness never says 200 again.
    const firstDown = readiness.indexOf(503);
    expect(firstDown).toBeGreaterThanOrEqual(0);
    expect(firstDown).toBeLessThanOrEqual(2);
    expect(readiness.slice(firstDown)).not.toContain(200);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
