// What the measured pages show: a table `items` of ROWS rows in database `shop`, made through the
// API with the bench's key (bulk creates of 100), and a few users for the users list.
import { Client, ID, Query, TablesDB, Users } from 'node-appwrite';
import { pool } from './documents.js';

export const TABLE = { databaseId: 'shop', tableId: 'items' };
export const ROWS = 10_000;
/** Appwrite's bulk create takes up to 100 rows a call. */
const BATCH = 100;
const IN_FLIGHT = 4;
const COLORS = ['red', 'green', 'blue'];
const USERS = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth', 'Margaret Hamilton', 'Ken Thompson'];

export interface Seeded {
  rows: number;
  ms: number;
}

export function apiClient(url: string, projectId: string, key: string): Client {
  return new Client().setEndpoint(`${url}/v1`).setProject(projectId).setKey(key);
}

async function waitForColumns(tablesDb: TablesDB): Promise<void> {
  for (;;) {
    const { columns } = await tablesDb.listColumns(TABLE);
    const failed = columns.find((column) => !['available', 'processing'].includes((column as { status: string }).status));
    if (failed) throw new Error(`column ${failed.key} is ${(failed as { status: string }).status}`);
    if (columns.every((column) => (column as { status: string }).status === 'available')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const itemOf = (i: number) => ({
  $id: `item${String(i).padStart(5, '0')}`,
  name: `Item ${i}`,
  price: (i * 37) % 1000,
  inStock: i % 3 !== 0,
  color: COLORS[i % COLORS.length],
});

export async function seedRows(client: Client): Promise<Seeded> {
  const tablesDb = new TablesDB(client);
  await tablesDb.create({ databaseId: TABLE.databaseId, name: 'Shop' });
  await tablesDb.createTable({ ...TABLE, name: 'Items' });
  await tablesDb.createVarcharColumn({ ...TABLE, key: 'name', size: 64, required: true });
  await tablesDb.createIntegerColumn({ ...TABLE, key: 'price', required: false, min: 0 });
  await tablesDb.createBooleanColumn({ ...TABLE, key: 'inStock', required: false });
  await tablesDb.createEnumColumn({ ...TABLE, key: 'color', elements: COLORS, required: false });
  await waitForColumns(tablesDb);
  const started = performance.now();
  await pool(ROWS / BATCH, IN_FLIGHT, async (batch) => {
    await tablesDb.createRows({ ...TABLE, rows: Array.from({ length: BATCH }, (_, k) => itemOf(batch * BATCH + k)) });
  });
  const ms = performance.now() - started;
  // The total is counted only up to 5000, as Appwrite's is: the last row's presence shows all are there.
  const last = await tablesDb.listRows({ ...TABLE, queries: [Query.orderDesc('$id'), Query.limit(1)], total: false });
  if (last.rows[0]?.$id !== itemOf(ROWS - 1).$id) throw new Error(`the last row after seeding is ${last.rows[0]?.$id}, not ${itemOf(ROWS - 1).$id}`);
  return { rows: ROWS, ms };
}

export async function seedUsers(client: Client): Promise<void> {
  const users = new Users(client);
  for (const name of USERS) {
    const handle = name.toLowerCase().replace(/\W+/g, '.');
    await users.create({ userId: ID.unique(), email: `${handle}@example.com`, name, password: `${handle} password` });
  }
}
