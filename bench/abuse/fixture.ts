// The target of the attempts: a collection anyone may read and no guest may write, holding
// documents whose titles a backtracking pattern struggles with.
import { closeIdleConnections, expect, pool, waitForSchema } from '../documents.js';

export const DATABASE_ID = 'abuse';
export const COLLECTION_ID = 'notes';
const DOCUMENTS = 2000;
const BATCH = 100;
/** 29 letters and a mark: the patterns can match long runs of `a` but never the whole title, so they backtrack. */
export const TITLE = `${'a'.repeat(29)}!`;

export function documentsPath(): string {
  return `/v1/databases/${DATABASE_ID}/collections/${COLLECTION_ID}/documents`;
}

/** Creates the database, the collection (read: any) with a `title` string, and seeds it; `headers` carry the API key. */
export async function createPublicNotes(baseUrl: string, headers: Record<string, string>): Promise<number> {
  await expect('POST', `${baseUrl}/v1/databases`, headers, 201, { databaseId: DATABASE_ID, name: 'Abuse' });
  await expect('POST', `${baseUrl}/v1/databases/${DATABASE_ID}/collections`, headers, 201, {
    collectionId: COLLECTION_ID,
    name: 'Notes',
    permissions: ['read("any")'],
  });
  const collectionUrl = `${baseUrl}/v1/databases/${DATABASE_ID}/collections/${COLLECTION_ID}`;
  await expect('POST', `${collectionUrl}/attributes/string`, headers, 202, { key: 'title', size: 64, required: true });
  await waitForSchema(collectionUrl, headers);
  await pool(DOCUMENTS / BATCH, 4, async (b) => {
    const documents = Array.from({ length: BATCH }, (_, k) => ({ $id: `note${b * BATCH + k}`, title: TITLE }));
    await expect('POST', `${baseUrl}${documentsPath()}`, headers, 201, { documents });
  });
  closeIdleConnections();
  return DOCUMENTS;
}
