import type { TodoDto } from '../../src/todos/dto/todo.dto.js';
import { send, type ApiResponse, type RequestOptions } from './api.js';
import { sleep } from './wait.js';

export type Operation = 'list' | 'item' | 'create' | 'update' | 'export';

export interface Sample {
  op: Operation;
  /** 0 when the request failed without a response (refused, reset, or past the client deadline). */
  status: number;
  /** When it was sent (performance.now()), to tell samples before a fault from those after. */
  at: number;
  ms: number;
  retryAfter: string | null;
}

/** What the service acknowledged of one todo, and what it may hold besides. */
interface WriteRecord {
  /** The content the last 2xx (create or update) acknowledged. */
  acked: string;
  /** Contents of later updates that failed: each may or may not have been applied. */
  unsure: string[];
}

export interface LoadOptions {
  /** Concurrent request loops (each sends one request at a time). */
  clients?: number;
  /** One loop's cycle of operations. */
  mix?: Operation[];
  /** The client gives up on a request after this long, so a hang shows as status 0. */
  deadlineMs?: number;
  /** A pause after every request, to pace a loop (0: back to back). */
  pauseMs?: number;
}

const DEFAULT_MIX: Operation[] = ['list', 'item', 'create', 'list', 'item', 'update', 'list'];

/**
 * A small load generator for chaos tests: `clients` loops sending a mix of reads and writes,
 * recording every status and latency, every acknowledged write (to check none is lost) and
 * every accepted export job. Each loop updates only todos it created, one request at a time,
 * so the content a todo must hold afterwards is known exactly.
 */
export class LoadDriver {
  readonly samples: Sample[] = [];
  /** Every 5xx other than a 503, with its request and body. */
  readonly unexpected: string[] = [];
  /** Acknowledged todos by id. */
  readonly writes = new Map<string, WriteRecord>();
  /** Every create attempted, acknowledged or not: its content's unique prefix. */
  readonly attemptedCreates: string[] = [];
  /** Ids of the export jobs answered 202. */
  readonly jobs: string[] = [];
  private running = false;
  private loops: Promise<void> = Promise.resolve();
  private readonly clients: number;
  private readonly mix: Operation[];
  private readonly deadlineMs: number;
  private readonly pauseMs: number;

  constructor(
    private readonly url: string,
    private readonly label: string,
    options: LoadOptions = {},
  ) {
    this.clients = options.clients ?? 8;
    this.mix = options.mix ?? DEFAULT_MIX;
    this.deadlineMs = options.deadlineMs ?? 20_000;
    this.pauseMs = options.pauseMs ?? 0;
  }

  start(): void {
    this.running = true;
    this.loops = Promise.all(Array.from({ length: this.clients }, (_, i) => this.loop(i))).then(
      () => undefined,
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loops;
  }

  /** Status counts, e.g. `{"200": 812, "503": 40}`. */
  statuses(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const s of this.samples) counts[s.status] = (counts[s.status] ?? 0) + 1;
    return counts;
  }

  /** The longest latency of the requests sent from `since` (performance.now()) on. */
  maxMs(since = 0): number {
    return Math.max(0, ...this.samples.filter((s) => s.at >= since).map((s) => s.ms));
  }

  /** The longest latency of the requests sent before `until`: the machine's own noise. */
  baselineMs(until: number): number {
    return Math.max(0, ...this.samples.filter((s) => s.at < until).map((s) => s.ms));
  }

  /** The one-line report of a scenario. */
  report(scenario: string, lost: number, jobsLost: number): string {
    const line =
      `chaos ${scenario}: ${this.samples.length} requests, statuses ${JSON.stringify(this.statuses())}, ` +
      `max latency ${this.maxMs().toFixed(0)} ms, acknowledged writes lost ${lost}, jobs lost ${jobsLost}\n`;
    process.stdout.write(line);
    for (const answer of this.unexpected) process.stdout.write(`  unexpected: ${answer}\n`);
    return line;
  }

  /**
   * Reads back every acknowledged todo through the API: those missing, or holding a content
   * the service never accepted for it, are lost.
   */
  async lostWrites(): Promise<string[]> {
    const lost: string[] = [];
    for (const [id, record] of this.writes) {
      const response = await send<TodoDto>(this.url, 'GET', `/todos/${id}`);
      const allowed = [record.acked, ...record.unsure];
      if (response.status !== 200 || !allowed.includes(response.body.content)) lost.push(id);
    }
    return lost;
  }

  private async loop(client: number): Promise<void> {
    const own: string[] = [];
    for (let n = 0; this.running; n++) {
      const op = this.mix[(n + client) % this.mix.length];
      const failed = await this.step(op, client, n, own);
      // A refused request comes back at once: do not spin on it.
      const pause = Math.max(this.pauseMs, failed ? 20 : 0);
      if (pause > 0) await sleep(pause);
    }
  }

  /** Sends one operation; true when it did not succeed. */
  private async step(op: Operation, client: number, n: number, own: string[]): Promise<boolean> {
    const known = [...this.writes.keys()];
    const anyId = known[(client * 7919 + n) % Math.max(known.length, 1)];
    switch (op) {
      case 'list':
        return !(await this.timed(op, 'GET', '/todos?limit=10')).ok;
      case 'item':
        if (!anyId) return !(await this.timed('list', 'GET', '/todos?limit=5')).ok;
        return !(await this.timed(op, 'GET', `/todos/${anyId}`)).ok;
      case 'create': {
        const content = `${this.label} c${client} n${n}`;
        this.attemptedCreates.push(content);
        const { ok, response } = await this.timed(op, 'POST', '/todos', { json: { content } });
        if (!ok || !response) return true;
        const { id } = response.body as TodoDto;
        this.writes.set(id, { acked: content, unsure: [] });
        own.push(id);
        return false;
      }
      case 'update': {
        const id = own[n % Math.max(own.length, 1)];
        const record = id === undefined ? undefined : this.writes.get(id);
        if (!record) return false;
        // Keeps the create's content as a prefix, so duplicates can be found by it.
        const content = `${record.acked.split(' #')[0]} #${n}`;
        const { ok } = await this.timed(op, 'PATCH', `/todos/${id}`, { json: { content } });
        if (ok) this.writes.set(id, { acked: content, unsure: [] });
        else record.unsure.push(content);
        return !ok;
      }
      case 'export': {
        const { ok, response } = await this.timed(op, 'POST', '/todos/exports', {
          json: { format: n % 2 ? 'csv' : 'json' },
        });
        if (ok && response) this.jobs.push((response.body as { job_id: string }).job_id);
        return !ok;
      }
    }
  }

  private async timed(
    op: Operation,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<{ ok: boolean; response?: ApiResponse<unknown> }> {
    const started = performance.now();
    try {
      const response = await send(this.url, method, path, {
        ...options,
        signal: AbortSignal.timeout(this.deadlineMs),
      });
      this.record(op, response.status, started, response.headers.get('retry-after'));
      if (response.status >= 500 && response.status !== 503) {
        // What a failing run needs to be explained: the request and what the server said.
        this.unexpected.push(
          `${method} ${path} → ${response.status} ${response.text.slice(0, 300)}`,
        );
      }
      return { ok: response.status < 300, response };
    } catch {
      this.record(op, 0, started, null);
      return { ok: false };
    }
  }

  private record(op: Operation, status: number, started: number, retryAfter: string | null) {
    this.samples.push({ op, status, at: started, ms: performance.now() - started, retryAfter });
  }
}
