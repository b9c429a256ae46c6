import type { EntityManager } from 'typeorm';

/**
 * What a repository needs of the database: the caller's transaction (an
 * EntityManager from `dataSource.transaction`) or, for a plain read, the
 * DataSource itself.
 */
export type Queryable = Pick<EntityManager, 'query'>;
