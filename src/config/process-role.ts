import type { DynamicModule, Type } from '@nestjs/common';

/** What runs in a process of either role. */
export type ProcessRole = 'api' | 'worker';

/**
 * The role a feature module is given: a process's, or `command` for the one-off commands
 * (seeding, the migration, the index sync, the account commands), which need a feature's
 * data and nothing that serves requests or runs jobs.
 */
export type ModuleRole = ProcessRole | 'command';

/**
 * A feature's one module for each role, built once per role: every feature that imports it
 * for a role shares one instance (Nest tells dynamic modules apart by reference). `build`
 * says, in one place, what the role has; the API alone has controllers (the worker's HTTP
 * port serves probes and metrics only).
 */
export function forRoles(
  module: Type,
  build: (role: ModuleRole) => Omit<DynamicModule, 'module'>,
): (role: ModuleRole) => DynamicModule {
  const built = new Map<ModuleRole, DynamicModule>();
  return (role) => {
    const found = built.get(role) ?? { module, ...build(role) };
    built.set(role, found);
    return found;
  };
}

/** `items` in the role named, nothing in the others. */
export const only = <T>(wanted: ModuleRole, role: ModuleRole, items: T[]): T[] =>
  role === wanted ? items : [];
