import type pg from 'pg';

/**
 * Inserts rows in batches through `unnest` of typed arrays: one statement per 5,000 rows, fast
 * enough for the 200,000-room scale data set without COPY.
 */
export async function bulkInsert(client: pg.ClientBase, table: string, columns: Record<string, string>, rows: readonly Record<string, unknown>[], batch = 5000): Promise<void> {
  const names = Object.keys(columns);
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    const arrays = names.map((n) => slice.map((r) => r[n] ?? null));
    const params = names.map((n, j) => `$${j + 1}::${columns[n]}[]`).join(', ');
    await client.query(`insert into ${table} (${names.join(', ')}) select * from unnest(${params})`, arrays);
  }
}
