import { Knex } from 'knex';

/** A column a permission condition may filter change requests on. */
export type ChangeRequestColumn = 'requester' | 'team';

/**
 * What the permission rules of change requests turn into: a tree of
 * column conditions, translated to SQL by {@link applyFilter}.
 */
export type ChangeRequestFilter =
  | { anyOf: ChangeRequestFilter[] }
  | { allOf: ChangeRequestFilter[] }
  | { not: ChangeRequestFilter }
  | { column: ChangeRequestColumn; values: string[] };

/** Adds a filter to a query, entity refs compared in lower case. */
export function applyFilter(
  query: Knex.QueryBuilder,
  filter: ChangeRequestFilter,
): Knex.QueryBuilder {
  if ('column' in filter) {
    const values = filter.values.map(v => v.toLocaleLowerCase('en-US'));
    // An empty list matches nothing, as an empty set of claims must.
    return values.length === 0
      ? query.whereRaw('1 = 0')
      : query.whereIn(filter.column, values);
  }
  if ('not' in filter) {
    return query.whereNot(q => {
      applyFilter(q, filter.not);
    });
  }
  if ('anyOf' in filter) {
    return query.where(q => {
      for (const part of filter.anyOf) {
        q.orWhere(sub => {
          applyFilter(sub, part);
        });
      }
      if (filter.anyOf.length === 0) q.whereRaw('1 = 0');
    });
  }
  return query.where(q => {
    for (const part of filter.allOf) {
      q.andWhere(sub => {
        applyFilter(sub, part);
      });
    }
  });
}
