import { Storage, TablesDB, type Client } from '@appwrite.io/console';
import { projectClient } from './api';

/** The project's databases, tables, columns and rows, as its administrator. */
export function projectTables(projectId: string): { client: Client; tables: TablesDB } {
  const client = projectClient(projectId);
  return { client, tables: new TablesDB(client) };
}

export function projectStorage(projectId: string): { client: Client; storage: Storage } {
  const client = projectClient(projectId);
  return { client, storage: new Storage(client) };
}

/**
 * The bytes behind a file URL of the SDK (preview, download), fetched with the administrator's
 * headers: an <img> or a plain link would go without them.
 */
export async function fetchObjectUrl(client: Client, url: string, type = ''): Promise<string> {
  const bytes = (await client.call('get', new URL(url), {}, {}, 'arrayBuffer')) as ArrayBuffer;
  return URL.createObjectURL(new Blob([bytes], { type }));
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
