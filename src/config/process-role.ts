/** What runs in a process of either role. */
export type ProcessRole = 'api' | 'worker';
