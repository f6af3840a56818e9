import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { nowDateTime } from '../../core/datetime.js';
import { completeBuild, findDeployment, findFunction, updateDeploymentRow, type DeploymentChanges, type DeploymentStatus } from '../../data/project/functions.js';
import { pointRulesAtDeployment } from '../../data/platform/proxy-rules.js';
import type { ServiceDeps } from '../deps.js';
import { storePacked, unpackSource } from './build-archives.js';
import { prepareBuildCache } from './build-cache.js';
import { MAX_BUILD_LOG, runBuildCommand } from './build-command.js';
import type { BuildJob } from './deployments.js';
import { commitWithEvents } from '../event-outbox.js';
import { functionEvent } from './events.js';
import { prewarmDeployment } from './executor.js';
import { toDeploymentModel } from './models.js';
import { functionOwner, functionsHost } from './runtime-host.js';
import { resolveProgram } from './runtime-programs.js';
import { findRuntime, isAvailable } from './runtimes.js';
import { deploymentCodeDir, deploymentObjects } from './storage-paths.js';
import { moveIntoPlace, stagingDir } from './deployment-code.js';
import { functionEnvironment } from './variables.js';

/**
 * Builds a deployment: extracts its archive, runs its build commands in the sandbox (in the
 * extracted copy, so the upload stays as sent), packs the result for download, and activates it
 * when asked. Each step first checks that nobody canceled the deployment meanwhile.
 */
export async function buildDeployment(deps: ServiceDeps, job: BuildJob): Promise<void> {
  const { projectId, functionId, deploymentId } = job;
  const db = deps.db.project(projectId);
  const started = Date.now();
  const host = functionsHost(deps);
  const controller = new AbortController();
  host.builds.set(deploymentId, { owner: functionOwner(projectId, functionId), controller });
  let logs = '';
  // Built in a private folder: the deployment's code appears only once the build succeeded.
  const workDir = stagingDir(deps, projectId, functionId, deploymentId, 'build');
  const advance = async (changes: DeploymentChanges, from: DeploymentStatus[]) => {
    return commitWithEvents(deps, projectId, async (trx, emit) => {
      const row = await updateDeploymentRow(trx, functionId, deploymentId, { ...changes, updated_at: nowDateTime() }, from);
      if (row) emit(functionEvent(projectId, functionId, { child: { kind: 'deployments', id: deploymentId }, action: 'update', payload: toDeploymentModel(row) }));
      return row;
    });
  };
  const fail = async (message: string) => {
    logs += `${message}\n`;
    await advance({ status: 'failed', build_logs: logs.slice(-MAX_BUILD_LOG), build_duration: seconds(started) }, ['processing', 'building']);
  };
  try {
    const fn = await findFunction(db, functionId);
    const deployment = await findDeployment(db, functionId, deploymentId);
    if (!fn || !deployment) return;
    if (!(await advance({ status: 'processing' }, ['waiting', 'processing']))) return;

    const objects = deploymentObjects(projectId, functionId, deploymentId);
    const unpackFailure = await unpackSource(deps, objects.source, workDir);
    if (unpackFailure) return await fail(unpackFailure);

    const runtime = findRuntime(fn.runtime);
    if (!runtime || !isAvailable(runtime, host.settings)) return await fail(`Runtime "${fn.runtime}" is not available on this server.`);
    if (!(await advance({ status: 'building' }, ['processing']))) return;
    // The runtime's interpreter is fetched now if it must be, so the first execution does not wait.
    let program: string;
    try {
      program = await resolveProgram(deps, runtime, (line) => (logs += `${line}\n`));
    } catch (error) {
      return await fail(`The runtime could not be prepared: ${(error as Error).message}`);
    }
    const entrypoint = deployment.entrypoint || runtime.defaultEntrypoint;
    const functionEnv = await functionEnvironment(deps, projectId, functionId);
    /** One shell command of the build in the sandbox: its output joins the log; the outcome, if it stopped the build. */
    const runStep = async (command: string, cache?: string): Promise<'aborted' | 'timedOut' | number> => {
      const outcome = await runBuildCommand(deps, {
        program,
        workDir,
        insideDir: '/function',
        command,
        runtime,
        env: {
          ...functionEnv,
          APPWRITE_FUNCTION_ID: functionId,
          APPWRITE_FUNCTION_DEPLOYMENT: deploymentId,
          APPWRITE_FUNCTION_RUNTIME_NAME: runtime.name,
          APPWRITE_FUNCTION_RUNTIME_VERSION: runtime.version,
          OPEN_RUNTIMES_ENTRYPOINT: entrypoint,
        },
        signal: controller.signal,
        cache: cache ? { host: cache, writable: false } : undefined,
      });
      logs += outcome.output;
      return outcome.aborted ? 'aborted' : outcome.timedOut ? 'timedOut' : outcome.exitCode ?? 1;
    };
    /** Whether the step let the build go on; a failed one has failed the deployment. */
    const passed = async (ended: 'aborted' | 'timedOut' | number, failure: (code: number) => string): Promise<boolean> => {
      if (ended === 0) return true;
      if (ended === 'timedOut') await fail('Build timed out.');
      else if (ended !== 'aborted') await fail(failure(ended));
      return false;
    };
    if (deployment.commands.trim() !== '') {
      logs += `$ ${deployment.commands}\n`;
      if (!(await passed(await runStep(deployment.commands), (code) => `Build command exited with code ${code}.`))) return;
    }
    if (!existsSync(join(workDir, entrypoint))) return await fail(`Entrypoint "${entrypoint}" was not found in the deployment.`);
    // A compiled language's function is compiled with its server now, once per deployment, from the dependencies its builds share.
    if (runtime.compile) {
      const cache = await prepareBuildCache(deps, runtime, program, (line) => (logs += `${line}\n`));
      const compiled = await runStep(`sh "$PLINTH_RUNTIME_DIR/${basename(runtime.compile)}"`, cache);
      if (!(await passed(compiled, (code) => `Compiling the function failed (exit code ${code}).`))) return;
    }
    const size = await storePacked(deps, objects.output, workDir);
    // This node keeps its build as the deployment's code; other nodes unpack the stored output.
    await moveIntoPlace(workDir, deploymentCodeDir(deps.dataDir, projectId, functionId, deploymentId));
    const finished = nowDateTime();
    // The rules name the deployment before anyone can see it ready, so a client that waited for
    // `ready` reads them current; they serve the function whichever deployment they name.
    if (deployment.activate === 1) await pointRulesAtDeployment(deps.db.platform, projectId, 'function', functionId, deploymentId, finished);
    const ready = await commitWithEvents(deps, projectId, async (trx, emit) => {
      const ready = await completeBuild(
        trx,
        functionId,
        deploymentId,
        { build_logs: logs.slice(-MAX_BUILD_LOG), build_size: size, build_duration: seconds(started), entrypoint, updated_at: finished },
        deployment.activate === 1,
      );
      if (ready) emit(functionEvent(projectId, functionId, { child: { kind: 'deployments', id: deploymentId }, action: 'update', payload: toDeploymentModel(ready) }));
      return ready;
    });
    if (!ready) {
      // Cancelled or deleted meanwhile: the rules go back to what the function serves.
      const current = deployment.activate === 1 ? await findFunction(db, functionId) : undefined;
      if (current) await pointRulesAtDeployment(deps.db.platform, projectId, 'function', functionId, current.deployment_id, nowDateTime());
      return;
    }
    if (deployment.activate === 1) {
      // The replaced deployment's warm processes are no longer needed; the new one starts now.
      if (fn.deployment_id && fn.deployment_id !== deploymentId) host.pool.stopGroup(fn.deployment_id);
      await prewarmDeployment(deps, projectId, fn, ready).catch(() => {});
    }
  } catch (error) {
    await fail(`Build failed: ${(error as Error).message}`);
  } finally {
    host.builds.delete(deploymentId);
    await rm(workDir, { recursive: true, force: true });
  }
}

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 1000);
}
