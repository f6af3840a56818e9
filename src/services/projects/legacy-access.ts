import { z } from 'zod';

/**
 * The path parameter of the 1.8-era `/projects/{projectId}/…` routes: as Appwrite keeps them,
 * aliases of the current routes acting on the project in the path, for an administrator of its
 * organization with the scope of the route they alias (`inPathProject`).
 */
export const projectParams = z.object({ projectId: z.string() });
