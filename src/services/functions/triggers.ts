import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { BriefCache } from '../../core/brief-cache.js';
import { serverCaller } from '../../core/caller.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { listEventFunctions, type FunctionRow } from '../../data/project/functions.js';
import type { ServiceDeps } from '../deps.js';
import { createExecution } from './executions.js';
import { stopFunctionWork } from './runtime-host.js';
import { deploymentCacheDir, functionCacheDir } from './storage-paths.js';
import { stringifyExactJson } from '../../core/exact-json.js';

/** `functions.<id>.delete`: the function itself went, not one of its deployments or executions. */
const DELETED_FUNCTION = /^functions\.([^.]+)\.delete$/;
/** `functions.<id>.deployments.<id>.delete`. */
const DELETED_DEPLOYMENT = /^functions\.([^.]+)\.deployments\.([^.]+)\.delete$/;
/** A function itself created, changed or deleted: its `events` may have changed. */
const CHANGED_FUNCTION = /^functions\.[^.]+\.(create|update|delete)$/;

/** How long a project's list of event-triggered functions is trusted before it is read again. */
const CACHE_MS = 1000;

/** This node's side of function triggers: its bus subscription, and the door the outbox hands events to. */
export interface FunctionTriggers {
  /** Runs the functions listening to the event; once per event, whichever node hands it on. */
  deliver(event: PlinthEvent): Promise<void>;
  stop(): void;
}

/**
 * Runs functions whose `events` match what happens, as the event outbox hands events on.
 * Event names arrive with every wildcard form already spelled out, so a function's pattern
 * matches by plain equality. Function and execution events never trigger functions, so a
 * function cannot loop on itself. The bus tells every node of functions changed or deleted.
 */
export function startFunctionTriggers(deps: ServiceDeps, onError: (error: unknown) => void): FunctionTriggers {
  const cache = new BriefCache<FunctionRow[]>(CACHE_MS);
  const listeners = (projectId: string) => cache.get(projectId, () => listEventFunctions(deps.db.project(projectId)).catch(() => []));
  const stop = deps.events.subscribe(async (event: PlinthEvent) => {
    // Only names of functions concern this; a document write's 64 names are checked with one look each.
    if (!event.names.some((name) => name.startsWith('functions.'))) return;
    // A function or deployment deleted through any node: this node ends its work and drops its copies too.
    for (const name of event.names) {
      const deleted = DELETED_FUNCTION.exec(name)?.[1];
      if (deleted !== undefined && deleted !== '*') {
        stopFunctionWork(deps, event.projectId, deleted);
        await rm(functionCacheDir(deps.dataDir, event.projectId, deleted), { recursive: true, force: true });
      }
      const [, functionId, deploymentId] = DELETED_DEPLOYMENT.exec(name) ?? [];
      if (functionId && deploymentId && functionId !== '*' && deploymentId !== '*') {
        await rm(deploymentCacheDir(deps.dataDir, event.projectId, functionId, deploymentId), { recursive: true, force: true });
      }
    }
    // The next event reads the list again, so a function listens from the moment its update answered.
    if (event.names.some((name) => CHANGED_FUNCTION.test(name))) cache.forget(event.projectId);
  });
  return {
    stop,
    async deliver(event) {
      if (event.names.some((name) => name.startsWith('functions.'))) return;
      const functions = await listeners(event.projectId);
      for (const fn of functions) {
        const patterns = JSON.parse(fn.events) as string[];
        const matched = patterns.find((pattern) => event.names.includes(pattern));
        if (!matched) continue;
        const name = event.names.find((candidate) => !candidate.includes('*')) ?? matched;
        // Derived from the event: handed on again after a crash, it records no second execution.
        const executionId = createHash('sha256').update(`${event.projectId}\n${fn.id}\n${name}\n${event.timestamp}\n${stringifyExactJson(event.payload)}`).digest('hex').slice(0, 32);
        await createExecution(
          deps,
          event.projectId,
          fn.id,
          serverCaller(),
          {
            body: stringifyExactJson(event.payload),
            async: true,
            path: '/',
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-appwrite-event': name },
            executionId,
          },
          'event',
        ).catch(onError);
      }
    },
  };
}
