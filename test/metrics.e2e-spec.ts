import { readFileSync } from 'node:fs';
import { useApi } from './support/api.js';
import { parsePrometheus, sum, type Sample } from './support/prometheus.js';

describe('metrics (e2e)', () => {
  const api = useApi('todo_e2e_metrics');

  const scrape = async () => {
    const response = await api.request<string>('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheus(response.text);
  };
  const delta = (
    before: Sample[],
    after: Sample[],
    name: string,
    labels: Record<string, string> = {},
  ) => sum(after, name, labels) - sum(before, name, labels);

  it('parses as Prometheus text and its counters move with the traffic', async () => {
    const before = await scrape();
    for (let i = 0; i < 7; i++) await api.request('GET', '/todos?limit=3');
    await api.request('POST', '/todos', { json: { content: 'counted' } });
    await api.request('GET', '/todos/not-an-id');
    const after = await scrape();

    const requests = 'http_request_duration_seconds_count';
    expect(
      delta(before, after, requests, { route: '/todos', method: 'GET', status_code: '200' }),
    ).toBe(7);
    expect(
      delta(before, after, requests, { route: '/todos', method: 'POST', status_code: '201' }),
    ).toBe(1);
    expect(delta(before, after, requests, { route: '/todos/:id', status_code: '400' })).toBe(1);
    expect(delta(before, after, 'cache_hits_total')).toBe(6);
    expect(delta(before, after, 'cache_misses_total')).toBe(1);
    expect(delta(before, after, 'cache_invalidations_total')).toBe(1);
    expect(sum(after, 'cache_available')).toBe(1);
    const states = after.filter((s) => s.name === 'queue_jobs').map((s) => s.labels.state);
    expect(new Set(states)).toEqual(new Set(['waiting', 'active', 'delayed', 'failed']));
    expect(sum(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('runs on the pinned Node.js line (.nvmrc), and nodejs_version_info says so', async () => {
    const pinnedMajor = readFileSync('.nvmrc', 'utf8').trim().split('.')[0];
    const { text } = await api.request<string>('GET', '/metrics');
    const info = /^nodejs_version_info\{version="([^"]+)",major="(\d+)"/m.exec(text);
    expect(info?.slice(1)).toEqual([process.version, pinnedMajor]);
  });

  it('refuses text that is not Prometheus format', () => {
    expect(() => parsePrometheus('not a metric line at all')).toThrow();
  });
});
