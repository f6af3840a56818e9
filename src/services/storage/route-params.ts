import { z } from 'zod';

const idParam = z.string().max(36);

/** Path parameters of the bucket and file routes, shared by every storage route file. */
export const bucketParams = z.object({ bucketId: idParam });
export const fileParams = z.object({ bucketId: idParam, fileId: idParam });
