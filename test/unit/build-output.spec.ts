import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * What `npm run build` puts in dist/ must run on the production image, which has the
 * `dependencies` of package.json and none of the `devDependencies` (no jest). A test helper
 * compiled in (a fake importing `@jest/globals`) is such a file: it would fail on import.
 *
 * Checked on what the build emits, without building: each file tsconfig.build.json takes,
 * and each file those import (tsc would emit that too), transpiled with the build's options
 * so type-only imports are gone as they are from dist/. Reading dist/ itself would need a
 * fresh build, and tsc leaves the files of a removed source behind in an old one.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const CONFIG = join(ROOT, 'tsconfig.build.json');

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

function buildConfig(): ts.ParsedCommandLine {
  const { config, error } = ts.readConfigFile(CONFIG, (path) => ts.sys.readFile(path));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, CONFIG);
}

/** The specifiers a module's emitted JavaScript imports, statically or not. */
function importsOf(javascript: string): string[] {
  const { importedFiles } = ts.preProcessFile(javascript, true, true);
  return importedFiles.map(({ fileName }) => fileName);
}

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** `source file → bare specifiers` of every file the build emits. */
function emittedImports(): Map<string, string[]> {
  const { options, fileNames } = buildConfig();
  const found = new Map<string, string[]>();
  const pending = [...fileNames];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (found.has(file)) continue;
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: options,
      fileName: file,
    });
    const specifiers = importsOf(outputText);
    found.set(
      file,
      specifiers.filter((specifier) => !specifier.startsWith('.')),
    );
    for (const specifier of specifiers.filter((s) => s.startsWith('.'))) {
      pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  }
  return found;
}

describe('the build output', () => {
  const emitted = emittedImports();

  it('is the production sources and nothing else: no spec, fake or test helper', () => {
    const files = [...emitted.keys()].map((file) => file.slice(ROOT.length + 1));
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((file) => !file.startsWith('src/'))).toEqual([]);
    expect(files.filter((file) => /\.(spec|fakes)\.ts$/.test(file))).toEqual([]);
  });

  it('imports at run time only Node built-ins and the production dependencies (no jest)', () => {
    const devOnly = [...emitted].flatMap(([file, specifiers]) =>
      specifiers
        .filter((specifier) => !isBuiltin(specifier))
        .filter((specifier) => !Object.hasOwn(packageJson.dependencies, packageOf(specifier)))
        .map((specifier) => `${file.slice(ROOT.length + 1)} imports ${specifier}`),
    );
    expect(devOnly).toEqual([]);
  });
});
