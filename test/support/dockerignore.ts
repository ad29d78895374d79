import { cpSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

// The build context for dockerfile.ts: the files .dockerignore lets through.

/** The lines that are not blank or comments, trimmed. */
function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** A .dockerignore's rules in order; `*` and `**` before a `/` are the only wildcards understood. */
function ignoreRules(text: string) {
  return lines(text).map((line) => {
    const negated = line.startsWith('!');
    const pattern = posix.normalize(line.slice(negated ? 1 : 0).trim()).replace(/^\/|\/$/g, '');
    if (/[?[\\]|\*\*(?!\/)/.test(pattern))
      throw new Error(`.dockerignore rule not understood: ${line}`);
    const source = pattern
      .replace(/[.+^${}()|]/g, '\\$&')
      .replace(/\*\*\/|\*/g, (wildcard) => (wildcard === '*' ? '[^/]*' : '(?:.*/)?'));
    return { negated, pattern, regex: new RegExp(`^${source}$`) };
  });
}

/** Whether .dockerignore excludes `path` (relative, `/`-separated), as Docker decides it. */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = ignoreRules(text);
  return (path) => {
    const parents = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    // The last rule that matches the path or one of its parent folders decides.
    const last = rules.findLast((rule) => parents.some((p) => rule.regex.test(p)));
    return last !== undefined && !last.negated;
  };
}

/** Copies the files of `root` that .dockerignore lets through into `to`; returns their paths. */
export function copyContext(root: string, ignore: string, to: string): string[] {
  const excluded = dockerignore(ignore);
  // An excluded folder no `!` rule reaches into is skipped whole (node_modules, .git, .data).
  const reopened = (folder: string) =>
    ignoreRules(ignore).some((rule) => rule.negated && rule.pattern.startsWith(`${folder}/`));
  const copied: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(join(root, folder))) {
      const path = folder === '' ? name : `${folder}/${name}`;
      if (statSync(join(root, path)).isDirectory()) {
        if (!excluded(path) || reopened(path)) walk(path);
      } else if (!excluded(path)) {
        mkdirSync(dirname(join(to, path)), { recursive: true });
        cpSync(join(root, path), join(to, path));
        copied.push(path);
      }
    }
  };
  walk('');
  return copied;
}
