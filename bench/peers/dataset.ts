// The data every system is seeded with, and the scenarios run against it: one definition, so all match.

/** The two seeded collections: the lists run over both, the permission scenario over the small one. */
export const SMALL = { name: 'posts10k', count: 10_000 } as const;
export const LARGE = { name: 'posts100k', count: 100_000 } as const;
export type Dataset = typeof SMALL | typeof LARGE;

/** Rows per rank value: the filtered list matches this many rows in either collection, and shows LIST_LIMIT. */
export const ROWS_PER_RANK = 100;
export const LIST_LIMIT = 20;
export const LISTED_RANK = 42;
/** A rank no seeded row has, for created records, so creates do not change what the lists match. */
export const CREATED_RANK = -1;

export const BENCH_USER = { email: 'bench-user@example.com', password: 'bench user password 1' };

const BODY_TEXT = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '.repeat(2);

export interface Post {
  title: string;
  body: string;
  rank: number;
  published: boolean;
}

export function rankCount(dataset: Dataset): number {
  return dataset.count / ROWS_PER_RANK;
}

/** Row i of a collection (0-based). Published rows are the ones the bench user may read. */
export function post(dataset: Dataset, i: number): Post {
  return { title: `Post ${i}`, body: `${i}: ${BODY_TEXT}`, rank: i % rankCount(dataset), published: i % 2 === 0 };
}

export const createdPost: Post = { title: 'Created', body: BODY_TEXT, rank: CREATED_RANK, published: false };

/** The row every system fetches by id: row 4242 of the large collection. */
export const FETCHED_ROW = 4242;
