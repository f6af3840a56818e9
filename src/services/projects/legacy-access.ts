import { z } from 'zod';

/**
 * What the 1.8-era `/projects/{projectId}/…` routes share: as Appwrite keeps them, aliases of the
 * current routes acting on the project in the path, for an administrator of its organization with
 * the scope of the route they alias.
 */
export const legacyAccess = (scope: string) => ({ scope, console: { organization: 'project' } }) as const;

export const projectParams = z.object({ projectId: z.string() });
export type ProjectParams = z.infer<typeof projectParams>;
