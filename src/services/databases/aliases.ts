import type { RouteAlias } from '../../http/route-aliases.js';

/** The relationship update path as TablesDB words it, kept by Appwrite for the Databases API too. */
export const databasesAliases: RouteAlias[] = [
  {
    method: 'PATCH',
    path: '/databases/:databaseId/collections/:collectionId/attributes/:key/relationship',
    target: '/databases/:databaseId/collections/:collectionId/attributes/relationship/:key',
  },
];
