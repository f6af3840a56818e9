import { AppError } from '../../core/errors.js';
import { findProject } from '../../data/platform/projects.js';
import { writeProjectSetting } from '../../data/platform/settings.js';
import type { ServiceDeps } from '../deps.js';
import { authMethodSetting, protocolSetting, serviceSetting, type AuthMethodId, type ProtocolId, type ServiceId } from '../../auth/switches.js';

export async function updateServiceStatus(deps: ServiceDeps, projectId: string, id: ServiceId, enabled: boolean): Promise<void> {
  await writeSwitch(deps, projectId, serviceSetting(id), enabled);
}

export async function updateProtocolStatus(deps: ServiceDeps, projectId: string, id: ProtocolId, enabled: boolean): Promise<void> {
  await writeSwitch(deps, projectId, protocolSetting(id), enabled);
}

export async function updateAuthMethodStatus(deps: ServiceDeps, projectId: string, id: AuthMethodId, enabled: boolean): Promise<void> {
  await writeSwitch(deps, projectId, authMethodSetting(id), enabled);
}

async function writeSwitch(deps: ServiceDeps, projectId: string, name: string, enabled: boolean): Promise<void> {
  if (!(await findProject(deps.db.platform, projectId))) throw new AppError('project_not_found');
  await writeProjectSetting(deps.db.platform, projectId, name, enabled);
}
