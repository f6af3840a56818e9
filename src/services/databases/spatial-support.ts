import { AppError } from '../../core/errors.js';
import { SpatialUnsupportedError } from '../../data/dialects/spatial.js';
import type { ServiceDeps } from '../deps.js';

/**
 * Checked when a geo attribute is created, so the caller hears at once (as Appwrite answers
 * on an engine without spatial types) rather than finding a failed attribute later.
 */
export async function ensureSpatialSupport(deps: ServiceDeps, projectId: string): Promise<void> {
  try {
    await deps.db.dialect.spatial.ensure(deps.db.project(projectId));
  } catch (error) {
    if (error instanceof SpatialUnsupportedError) throw new AppError('general_feature_unsupported', `Spatial columns are not supported by this database: ${error.message}`);
    throw error;
  }
}
