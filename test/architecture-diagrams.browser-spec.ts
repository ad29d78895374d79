import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { EDGE_PIPELINE } from '../src/edge/edge.pipeline.js';
import { launchChromium } from './support/browser.js';

const MERMAID = 'node_modules/mermaid/dist/mermaid.min.js';
const ARCHITECTURE = 'docs/architecture.md';

/** Every ```mermaid block of a Markdown text, in order. */
const mermaidBlocks = (markdown: string): string[] =>
  [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((match) => match[1]);

/** What rendering one diagram gave: the SVG's markup and its text, or mermaid's error. */
interface Rendered {
  svg?: string;
  text?: string;
  error?: string;
}

/**
 * Page script: `renderDiagram(id, source)` parses and renders one diagram with mermaid, as a
 * Markdown viewer would, into the page. `parse` throws on a syntax error, which `render`
 * alone could draw as an error picture instead.
 */
const RENDER_DIAGRAM = `
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  window.renderDiagram = async (id, source) => {
    try {
      await mermaid.parse(source);
      const { svg } = await mermaid.render(id, source);
      const holder = document.createElement('div');
      holder.innerHTML = svg;
      document.body.append(holder);
      return { svg, text: holder.querySelector('svg')?.textContent ?? '' };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };
`;

type PageWithRenderer = typeof globalThis & {
  renderDiagram(id: string, source: string): Promise<Rendered>;
};

const render = (page: Page, index: number, source: string): Promise<Rendered> =>
  page.evaluate(([id, text]) => (globalThis as PageWithRenderer).renderDiagram(id, text), [
    `diagram-${index}`,
    source,
  ] as const);

describe('docs/architecture.md diagrams in a browser', () => {
  let browser: Browser;
  const blocks = mermaidBlocks(readFileSync(ARCHITECTURE, 'utf8'));

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every mermaid block into an SVG, and the request pipeline names every step', async () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: MERMAID });
    await page.addScriptTag({ content: RENDER_DIAGRAM });

    const rendered: Rendered[] = [];
    for (const [index, source] of blocks.entries()) {
      rendered.push(await render(page, index, source));
    }

    for (const [index, diagram] of rendered.entries()) {
      expect({ block: index, error: diagram.error }).toEqual({ block: index, error: undefined });
      expect(diagram.svg).toMatch(/^<svg[\s>]/);
      expect(diagram.text).not.toMatch(/syntax error/i);
    }
    // The pipeline as installed and as a request meets it: each step of the list, by its
    // name, in some diagram, and Nest's own stages beside them.
    const text = rendered.map((diagram) => diagram.text).join('\n');
    for (const name of [
      ...EDGE_PIPELINE.map((step) => step.name),
      'AuthGuard',
      'HttpCacheInterceptor',
      'IdempotencyInterceptor',
      'ValidationPipe',
      'TodosController.list',
      'HttpExceptionFilter',
    ]) {
      expect({ name, drawn: text.includes(name) }).toEqual({ name, drawn: true });
    }
    expect(pageErrors).toEqual([]);
  });
});
