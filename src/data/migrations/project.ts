import type { Migration } from './migration.js';

/** Each project's own store. Later services append their tables here. */
export const projectMigrations: readonly Migration[] = [];
