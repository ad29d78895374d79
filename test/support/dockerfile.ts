import { cpSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { runCommand } from './process.js';

/**
 * Builds the project's Dockerfile outside Docker, for machines without an engine: each stage
 * is a folder standing for its WORKDIR; COPY copies from the build context (dockerignore.ts)
 * or an earlier stage; RUN runs in the folder with the stage's ENV, on this machine's Node, so
 * every base image must be the Node.js release .nvmrc pins. Only what the project's Dockerfile
 * uses is understood: an unknown instruction or base image is refused before anything runs,
 * any other form when reached, so the file cannot drift past what this checks.
 */

const PINNED_NODE = readFileSync('.nvmrc', 'utf8').trim();

export interface Stage {
  name: string;
  /** The folder standing for WORKDIR. */
  dir: string;
  workdir?: string;
  env: Record<string, string>;
  user?: string;
  exposed: number[];
  cmd?: string[];
  healthcheck?: string[];
}

interface Build {
  stages: Map<string, Stage>;
  context: string;
}

/** What each instruction does to its stage: these are all the instructions understood. */
const INSTRUCTIONS: Record<string, (stage: Stage, args: string, build: Build) => unknown> = {
  WORKDIR(stage, path) {
    if (stage.workdir !== undefined && stage.workdir !== path)
      throw new Error('one WORKDIR a stage');
    stage.workdir = path;
  },
  ENV(stage, args) {
    for (const [, key, value] of args.matchAll(/(\w+)=(\S+)/g)) stage.env[key] = value;
  },
  COPY: copy,
  RUN: (stage, command) => run(['sh', '-c', command], stage.env, local(stage, '.')),
  USER: (stage, user) => (stage.user = user),
  EXPOSE: (stage, ports) => (stage.exposed = ports.split(/\s+/).map(Number)),
  CMD: (stage, args) => (stage.cmd = execForm(args)),
  HEALTHCHECK(stage, args) {
    const cmd = /^(?:--\S+\s+)*CMD\s+(\[.*\])$/.exec(args);
    if (!cmd) throw new Error(`HEALTHCHECK must be options then CMD [...]: ${args}`);
    stage.healthcheck = execForm(cmd[1]);
  },
};

/** The stages in order: `\` continuations joined, comments dropped, anything unknown refused. */
function parse(dockerfile: string) {
  const stages: { name: string; base: string; steps: { keyword: string; args: string }[] }[] = [];
  for (const line of dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const [, word, args] = /^\s*(\S+)\s*(.*?)\s*$/.exec(line) ?? [];
    if (word === undefined || word.startsWith('#')) continue;
    const keyword = word.toUpperCase();
    if (keyword === 'FROM') {
      const [, base, name] = /^(\S+)\s+AS\s+(\S+)$/i.exec(args) ?? [];
      if (!name) throw new Error(`unnamed stage: FROM ${args}`);
      // This machine's Node stands in for the base image's: only the pinned release will do.
      if (!stages.some((s) => s.name === base) && !base.startsWith(`node:${PINNED_NODE}-`))
        throw new Error(`base image ${base} is not the pinned Node.js ${PINNED_NODE} (.nvmrc)`);
      stages.push({ name, base, steps: [] });
    } else if (!Object.hasOwn(INSTRUCTIONS, keyword)) {
      throw new Error(`instruction not understood here: ${keyword}`);
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${keyword} before FROM`);
      stage.steps.push({ keyword, args });
    }
  }
  return stages;
}

/** Runs every stage of `dockerfile` in folders under `work`; returns the stages by name. */
export async function buildOutsideDocker(
  dockerfile: string,
  context: string,
  work: string,
): Promise<Map<string, Stage>> {
  const build: Build = { stages: new Map(), context };
  for (const { name, base, steps } of parse(dockerfile)) {
    const parent = build.stages.get(base);
    const dir = join(work, name);
    const { workdir, env, user } = parent ?? { env: {} };
    const stage: Stage = { name, dir, workdir, env: { ...env }, user, exposed: [] };
    // A stage on an earlier one starts as a hard-linked copy of it: no time, no space (no RUN
    // here rewrites a file in place).
    if (parent) await run(['cp', '-al', parent.dir, dir], {}, work);
    else mkdirSync(dir, { recursive: true });
    build.stages.set(name, stage);
    for (const { keyword, args } of steps) await INSTRUCTIONS[keyword](stage, args, build);
  }
  return build.stages;
}

/** `COPY [--from=stage] source… dest`, from the build context or an earlier stage. */
function copy(stage: Stage, args: string, { stages, context }: Build): void {
  const [, from, rest] = /^(?:--from=(\S+)\s+)?(.*)$/.exec(args) ?? [];
  const sources = rest.split(/\s+/);
  const dest = sources.pop() ?? '';
  if (sources.length === 0 || rest.includes('--')) throw new Error(`COPY not understood: ${args}`);
  const origin = from === undefined ? undefined : stages.get(from);
  if (from !== undefined && !origin) throw new Error(`COPY --from an unknown stage: ${from}`);
  for (const path of sources) {
    const src = origin ? local(origin, path) : join(context, path);
    const into = dest.endsWith('/') && !statSync(src).isDirectory();
    const target = into ? join(local(stage, dest), basename(src)) : local(stage, dest);
    cpSync(src, target, { recursive: true, verbatimSymlinks: true });
  }
}

/** The container path `path` of `stage` as a path on this machine; within WORKDIR only. */
function local(stage: Stage, path: string): string {
  if (stage.workdir === undefined) throw new Error(`${stage.name}: COPY or RUN before WORKDIR`);
  const inside = posix.relative(stage.workdir, posix.resolve(stage.workdir, path));
  if (inside.startsWith('..')) throw new Error(`${path} is outside WORKDIR ${stage.workdir}`);
  return join(stage.dir, inside);
}

/** A command in JSON (exec) form; the shell form is refused, it depends on the image's shell. */
function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((arg) => typeof arg === 'string'))
    throw new Error(`not a JSON array of strings: ${args}`);
  return parsed;
}

/** Runs a build step with the image's environment only (PATH and HOME from here). */
async function run(command: string[], env: Record<string, string>, cwd: string): Promise<void> {
  const step = runCommand(command, { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, cwd);
  if ((await step.exited).code !== 0)
    throw new Error(`${command.join(' ')} failed in ${cwd}:\n${step.output()}`);
}
