import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/configuration.js';

/**
 * When in the API's boot a step is installed, which decides what it can reach:
 * - `adapter`: on the Fastify instance before `NestFactory.create`. Nothing of Nest exists
 *   yet, so the step takes no provider; its hooks are added before any other.
 * - `app`: on the created application before `init`. The step may take providers from
 *   Nest's container (`app.get`), and Nest has not added its routes yet (it does at `init`),
 *   so an `onRoute` hook added here still sees every one of them.
 */
export type EdgePhase = 'adapter' | 'app';

/** What an adapter-phase step is given: the bare Fastify instance and the process's config. */
export interface AdapterContext {
  readonly fastify: FastifyInstance;
  readonly config: AppConfig;
  readonly logger: Logger;
}

/** What an app-phase step is given besides: the application, not yet initialised. */
export interface AppContext extends AdapterContext {
  readonly app: NestFastifyApplication;
}

interface Step<P extends EdgePhase, C> {
  /** What the step is called in the order's test, the docs' diagram and boot errors. */
  readonly name: string;
  readonly phase: P;
  install(context: C): void | Promise<void>;
}

export type EdgeStep = Step<'adapter', AdapterContext> | Step<'app', AppContext>;

/**
 * The steps as given, once checked: names unique, and no adapter-phase step after an
 * app-phase one. Installing runs each phase's steps in list order, so a list breaking that
 * rule would install that step before steps it is listed after: the order read in the list
 * would not be the order its hooks run in. Refused at load, so such a list never boots.
 */
export function edgePipeline(steps: readonly EdgeStep[]): readonly EdgeStep[] {
  const names = new Set<string>();
  let appPhase: EdgeStep | undefined;
  for (const step of steps) {
    if (names.has(step.name)) throw new Error(`edge step "${step.name}" is listed twice`);
    names.add(step.name);
    if (step.phase === 'app') appPhase ??= step;
    else if (appPhase !== undefined) {
      throw new Error(
        `edge step "${step.name}" (adapter phase) is listed after "${appPhase.name}" (app phase)`,
      );
    }
  }
  return Object.freeze([...steps]);
}

/** Installs the adapter-phase steps, in order: before `NestFactory.create`. */
export async function installAdapterPhase(
  steps: readonly EdgeStep[],
  context: AdapterContext,
): Promise<void> {
  for (const step of steps) if (step.phase === 'adapter') await step.install(context);
}

/** Installs the app-phase steps, in order: after `NestFactory.create`, before `init`. */
export async function installAppPhase(
  steps: readonly EdgeStep[],
  context: AppContext,
): Promise<void> {
  for (const step of steps) if (step.phase === 'app') await step.install(context);
}
