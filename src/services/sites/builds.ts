import { randomBytes } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { nowDateTime } from '../../core/datetime.js';
import type { DeploymentStatus } from '../../data/project/functions.js';
import { completeSiteBuild, findSite, findSiteDeployment, updateSiteDeploymentRow, type SiteDeploymentChanges } from '../../data/project/sites.js';
import type { ServiceDeps } from '../deps.js';
import { findRuntime, MAX_BUILD_LOG, moveIntoPlace, resolveProgram, runBuildCommand, storePacked, unpackSource } from '../functions/index.js';
import type { SiteBuildJob } from './deployments.js';
import { commitWithEvents } from '../event-outbox.js';
import { siteEvent } from './events.js';
import { toSiteDeploymentModel } from './models.js';
import { trackSiteBuild, untrackSiteBuild } from './running-builds.js';
import { forgetSiteForVisitors } from './site-rows.js';
import { stopSupersededSsrProcesses } from './ssr-processes.js';
import { ssrServerTree } from './ssr-server-files.js';
import { siteDeploymentCacheDir, siteDeploymentObjects, siteOutputDir } from './storage-paths.js';
import { siteEnvironment } from './variables.js';

/** The build's commands as one shell line: install, then build; either may be empty. */
function buildLine(install: string, build: string): string {
  return [install.trim(), build.trim()].filter((part) => part !== '').join(' && ');
}

/** The output directory inside the build, or undefined when it is missing, no directory, or leads out of the build. */
function outputDirectoryOf(workDir: string, outputDirectory: string): string | undefined {
  try {
    const root = realpathSync(workDir);
    const dir = realpathSync(resolve(workDir, outputDirectory || '.'));
    if (dir !== root && !dir.startsWith(root + sep)) return undefined;
    return statSync(dir).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds a site deployment: extracts its archive, runs the install and build commands in the
 * sandbox with the site's build runtime, checks the output directory, stores it packed (every
 * node serves from the file store) and makes it live when asked. Each step first checks that
 * nobody canceled the deployment meanwhile.
 */
export async function buildSiteDeployment(deps: ServiceDeps, job: SiteBuildJob): Promise<void> {
  const { projectId, siteId, deploymentId } = job;
  const db = deps.db.project(projectId);
  const started = Date.now();
  const controller = trackSiteBuild(deps, projectId, siteId, deploymentId);
  let logs = '';
  const workDir = join(siteDeploymentCacheDir(deps.dataDir, projectId, siteId, deploymentId), `build-${randomBytes(6).toString('hex')}`);
  const advance = async (changes: SiteDeploymentChanges, from: DeploymentStatus[]) => {
    return commitWithEvents(deps, projectId, async (trx, emit) => {
      const row = await updateSiteDeploymentRow(trx, siteId, deploymentId, { ...changes, updated_at: nowDateTime() }, from);
      if (row) emit(siteEvent(projectId, siteId, { deploymentId, action: 'update', payload: toSiteDeploymentModel(row) }));
      return row;
    });
  };
  const fail = async (message: string) => {
    logs += `${message}\n`;
    await advance({ status: 'failed', build_logs: logs.slice(-MAX_BUILD_LOG), build_duration: seconds(started) }, ['processing', 'building']);
  };
  try {
    const site = await findSite(db, siteId);
    const deployment = await findSiteDeployment(db, siteId, deploymentId);
    if (!site || !deployment) return;
    if (!(await advance({ status: 'processing' }, ['waiting', 'processing']))) return;

    const objects = siteDeploymentObjects(projectId, siteId, deploymentId);
    const unpackFailure = await unpackSource(deps, objects.source, workDir);
    if (unpackFailure) return await fail(unpackFailure);

    const runtime = findRuntime(site.build_runtime);
    if (!runtime) return await fail(`Runtime "${site.build_runtime}" is not available on this server.`);
    if (!(await advance({ status: 'building' }, ['processing']))) return;
    const command = buildLine(deployment.install_command, deployment.build_command);
    if (command !== '') {
      let program: string;
      try {
        program = await resolveProgram(deps, runtime, (line) => (logs += `${line}\n`));
      } catch (error) {
        return await fail(`The runtime could not be prepared: ${(error as Error).message}`);
      }
      logs += `$ ${command}\n`;
      const outcome = await runBuildCommand(deps, {
        program,
        workDir,
        insideDir: '/site',
        command,
        runtime,
        env: {
          ...(await siteEnvironment(deps, projectId, siteId)),
          APPWRITE_SITE_ID: siteId,
          APPWRITE_SITE_NAME: site.name,
          APPWRITE_SITE_DEPLOYMENT: deploymentId,
          APPWRITE_SITE_PROJECT_ID: projectId,
          APPWRITE_SITE_RUNTIME_NAME: runtime.name,
          APPWRITE_SITE_RUNTIME_VERSION: runtime.version,
          NODE_ENV: 'production',
        },
        signal: controller.signal,
      });
      logs += outcome.output;
      if (outcome.aborted) return;
      if (outcome.timedOut) return await fail('Build timed out.');
      if (outcome.exitCode !== 0) return await fail(`Build command exited with code ${outcome.exitCode}.`);
    }

    const output = outputDirectoryOf(workDir, deployment.output_directory);
    if (output === undefined) return await fail(`Output directory "${deployment.output_directory}" was not found in the build.`);
    // A server-rendered site runs from its built tree, of which only what its server needs is kept.
    const served = site.adapter === 'ssr' ? await ssrServerTree(workDir, site.framework, site.start_command) : output;
    const size = await storePacked(deps, objects.output, served);
    // This node keeps the output to serve; other nodes unpack the stored copy on first request.
    await moveIntoPlace(served, siteOutputDir(deps.dataDir, projectId, siteId, deploymentId));
    const previousLive = deployment.activate === 1 ? ((await findSite(db, siteId))?.deployment_id ?? '') : '';
    const ready = await commitWithEvents(deps, projectId, async (trx, emit) => {
      const ready = await completeSiteBuild(
        trx,
        siteId,
        deploymentId,
        { build_logs: logs.slice(-MAX_BUILD_LOG), build_size: size, build_duration: seconds(started), updated_at: nowDateTime() },
        deployment.activate === 1,
      );
      if (ready) emit(siteEvent(projectId, siteId, { deploymentId, action: 'update', payload: toSiteDeploymentModel(ready) }));
      return ready;
    }, {
      // Visitors get the new deployment before anyone hears it is ready.
      committed: (ready) => {
        if (!ready) return;
        forgetSiteForVisitors(deps, projectId, siteId);
        stopSupersededSsrProcesses(deps, previousLive, deploymentId);
      },
    });
    if (!ready) return;
  } catch (error) {
    await fail(`Build failed: ${(error as Error).message}`);
  } finally {
    untrackSiteBuild(deps, deploymentId);
    await rm(workDir, { recursive: true, force: true });
  }
}

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 1000);
}
