import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import { runCommand } from './process.js';

/** The Node.js release the project pins, which every base image must carry. */
const PINNED_NODE = readFileSync('.nvmrc', 'utf8').trim();

/**
 * Runs a Dockerfile's build outside Docker, for machines without an engine: each stage is a
 * folder standing for its WORKDIR, COPY copies (from the context as .dockerignore filters it,
 * or from an earlier stage), RUN runs in that folder with the stage's ENV. Only what the
 * project's Dockerfile uses is understood; anything else throws, so the file cannot drift
 * past what this checks.
 */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  base: string;
  dir: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  exposed: number[];
  cmd?: string[];
  healthcheck?: string[];
}

/** Instructions in order: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword] = line.split(/\s+/, 1);
      return { keyword: keyword.toUpperCase(), args: line.slice(keyword.length).trim() };
    });
}

/** A command in JSON (exec) form; the shell form is refused, it depends on the image's shell. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((arg) => typeof arg === 'string')) {
    throw new Error(`not a JSON array of strings: ${args}`);
  }
  return parsed;
}

/** Whether .dockerignore excludes `path` (relative, `/`-separated), as Docker decides it. */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = posix.normalize(line.slice(negated ? 1 : 0).trim()).replace(/^\/|\/$/g, '');
      return { negated, pattern, regex: globToRegex(pattern) };
    });
  return (path) => {
    const parents = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    // The last rule that matches the path or one of its parent folders decides.
    for (const rule of rules) {
      if (parents.some((candidate) => rule.regex.test(candidate))) excluded = !rule.negated;
    }
    return excluded;
  };
}

function globToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (pattern.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Copies the files of `root` that .dockerignore lets through into `to`; returns their paths. */
export function copyContext(root: string, ignore: string, to: string): string[] {
  const excluded = dockerignore(ignore);
  // A folder that no `!` rule reaches into is skipped whole (node_modules, .git, .data).
  const reopened = (folder: string) =>
    ignore
      .split(/\r?\n/)
      .some((line) => line.trim().startsWith(`!${folder}/`) || line.trim() === `!${folder}`);
  const copied: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(join(root, folder))) {
      const path = folder === '' ? name : `${folder}/${name}`;
      const isDir = statSync(join(root, path)).isDirectory();
      if (isDir) {
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

/** Runs every stage of `dockerfile` in folders under `work`; returns the stages by name. */
export async function buildOutsideDocker(
  dockerfile: string,
  context: string,
  work: string,
): Promise<Map<string, Stage>> {
  const stages = new Map<string, Stage>();
  let stage: Stage | undefined;
  // The container path `path` of `of`, as a path on this machine.
  const local = (of: Stage, path: string) => {
    const absolute = posix.resolve(of.workdir, path);
    const inside = posix.relative(of.workdir, absolute);
    if (inside.startsWith('..')) throw new Error(`${path} is outside WORKDIR ${of.workdir}`);
    return join(of.dir, inside);
  };
  for (const { keyword, args } of parseDockerfile(dockerfile)) {
    if (keyword === 'FROM') {
      const [base, as, name] = args.split(/\s+/);
      if (as?.toUpperCase() !== 'AS' || !name) throw new Error(`unnamed stage: FROM ${args}`);
      const parent = stages.get(base);
      // The machine's own Node stands in for the base image's: only the pinned release will do.
      if (!parent && !base.startsWith(`node:${PINNED_NODE}-`))
        throw new Error(`base image ${base} is not the pinned Node.js ${PINNED_NODE} (.nvmrc)`);
      stage = {
        name,
        base,
        dir: join(work, name),
        workdir: parent?.workdir ?? '/',
        env: { ...parent?.env },
        user: parent?.user,
        exposed: [],
      };
      // Hard links: a stage that builds on another starts as a copy of it, in no time and no
      // space (no RUN here rewrites a file in place).
      if (parent) await run(['cp', '-al', parent.dir, stage.dir], {}, work);
      else mkdirSync(stage.dir, { recursive: true });
      stages.set(name, stage);
      continue;
    }
    if (!stage) throw new Error(`${keyword} before FROM`);
    switch (keyword) {
      case 'WORKDIR':
        if (stage.workdir !== '/' && stage.workdir !== args) throw new Error('one WORKDIR a stage');
        stage.workdir = args;
        break;
      case 'ENV':
        for (const [, name, value] of args.matchAll(/(\w+)=(\S+)/g)) stage.env[name] = value;
        break;
      case 'COPY':
        copy(args, stage, stages, context, local);
        break;
      case 'RUN':
        await run(['sh', '-c', args], stage.env, stage.dir);
        break;
      case 'USER':
        stage.user = args;
        break;
      case 'EXPOSE':
        stage.exposed = args.split(/\s+/).map(Number);
        break;
      case 'HEALTHCHECK': {
        const cmd = /^(?:--\S+\s+)*CMD\s+(\[.*\])$/.exec(args);
        if (!cmd) throw new Error(`HEALTHCHECK must be options then CMD [...]: ${args}`);
        stage.healthcheck = execForm(cmd[1]);
        break;
      }
      case 'CMD':
        stage.cmd = execForm(args);
        break;
      default:
        throw new Error(`instruction not understood here: ${keyword}`);
    }
  }
  return stages;
}

function copy(
  args: string,
  stage: Stage,
  stages: Map<string, Stage>,
  context: string,
  local: (of: Stage, path: string) => string,
): void {
  const words = args.split(/\s+/);
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const [dest, ...sources] = words.filter((word) => !word.startsWith('--')).reverse();
  const source = from === undefined ? undefined : stages.get(from);
  if (from !== undefined && !source) throw new Error(`COPY --from an unknown stage: ${from}`);
  for (const path of sources.reverse()) {
    const src = source ? local(source, path) : join(context, path);
    const target = local(stage, dest);
    const into = dest.endsWith('/') && !statSync(src).isDirectory();
    cpSync(src, into ? join(target, basename(src)) : target, {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
}

/** Runs a build step with the image's environment only (PATH and HOME from here). */
async function run(command: string[], env: Record<string, string>, cwd: string): Promise<void> {
  const step = runCommand(command, { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, cwd);
  const exit = await step.exited;
  if (exit.code !== 0) {
    throw new Error(
      `${command.join(' ')} failed in ${relative(process.cwd(), cwd)}:\n${step.output()}`,
    );
  }
}
