import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  edgePipeline,
  installAdapterPhase,
  installAppPhase,
  type AppContext,
  type EdgeStep,
} from './edge-step.js';
import { EDGE_PIPELINE } from './edge.pipeline.js';

describe('EDGE_PIPELINE', () => {
  it('installs the Fastify-level steps in this order, each in this phase', () => {
    // The order is the behaviour: change it here only with the reason in the list's comments
    // and the diagram in docs/architecture.md changed alike.
    expect(EDGE_PIPELINE.map(({ name, phase }) => [name, phase])).toEqual([
      ['request logging', 'adapter'],
      ['security headers', 'adapter'],
      ['cors', 'adapter'],
      ['authentication', 'app'],
      ['rate limit', 'app'],
      ['allowed methods', 'app'],
      ['cache fast path', 'app'],
      ['conditional get', 'app'],
      ['swagger', 'app'],
    ]);
  });

  it('lists no adapter-phase step after an app-phase one', () => {
    const phases = EDGE_PIPELINE.map((step) => step.phase);
    const firstApp = phases.indexOf('app');
    expect(firstApp).toBeGreaterThan(0);
    expect(phases.slice(firstApp).filter((phase) => phase === 'adapter')).toEqual([]);
  });
});

describe('edgePipeline', () => {
  const step = (name: string, phase: EdgeStep['phase']) =>
    ({ name, phase, install: () => undefined }) as EdgeStep;

  it('refuses an adapter-phase step listed after an app-phase one', () => {
    expect(() =>
      edgePipeline([step('a', 'adapter'), step('b', 'app'), step('c', 'adapter')]),
    ).toThrow('edge step "c" (adapter phase) is listed after "b" (app phase)');
  });

  it('refuses a name listed twice', () => {
    expect(() => edgePipeline([step('a', 'adapter'), step('a', 'app')])).toThrow(
      'edge step "a" is listed twice',
    );
  });
});

describe('installAdapterPhase and installAppPhase', () => {
  it("run their own phase's steps only, in list order, each awaited before the next", async () => {
    const installed: string[] = [];
    const recording = (name: string, phase: EdgeStep['phase']): EdgeStep => {
      const install = async () => {
        // A step that finishes late must still be installed before the next one starts.
        await new Promise((resolve) => setTimeout(resolve, name.endsWith('slow') ? 5 : 0));
        installed.push(name);
      };
      return { name, phase, install };
    };
    const steps = edgePipeline([
      recording('a1 slow', 'adapter'),
      recording('a2', 'adapter'),
      recording('b1 slow', 'app'),
      recording('b2', 'app'),
    ]);
    // The steps above read nothing from their context.
    const context = {} as AppContext;

    await installAdapterPhase(steps, context);
    expect(installed).toEqual(['a1 slow', 'a2']);
    await installAppPhase(steps, context);
    expect(installed).toEqual(['a1 slow', 'a2', 'b1 slow', 'b2']);
  });
});

describe('the edge folder', () => {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const sources = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? sources(join(folder, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(folder, entry.name)]
          : [],
    );

  it("is imported by the API's setup only: features hand it their steps, never the reverse", () => {
    const importers = sources(src)
      .filter((file) => !relative(src, file).startsWith('edge/'))
      .filter((file) =>
        [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].some(([, path]) =>
          resolve(dirname(file), path).startsWith(join(src, 'edge') + '/'),
        ),
      )
      .map((file) => relative(src, file));
    expect(importers).toEqual(['app.setup.ts']);
  });
});
