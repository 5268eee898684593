import type { Clock, OutgoingEvent, SqlPool } from '@portal/platform';

/** What the relay needs from the bus (the platform EventBus fits; tests pass a failing one). */
export interface EventPublisher {
  publishBatch(events: readonly OutgoingEvent[]): Promise<void>;
}

export interface RelayOptions {
  /** A pool of tenancy's database, apart from the ORM's (the relay's statements are no request's). */
  pool: SqlPool;
  bus: EventPublisher;
  clock: Clock;
  /** Rows per transaction (default 500). */
  batchSize?: number;
}

export interface RelayReport {
  published: number;
  batches: number;
}

interface OutboxRow {
  seq: string;
  event: string;
  payload: Record<string, unknown>;
}

/**
 * Publishes pending outbox rows, oldest first, until none is left. Each batch is claimed with
 * `FOR UPDATE SKIP LOCKED` in its own transaction that stays open while the bus takes the events,
 * then the rows are stamped `published_at` and the transaction commits: several replicas share the
 * work without publishing a row twice in the normal case. A failed publish rolls the claim back (the
 * rows stay pending, their attempt is counted) and the error is rethrown so the job is retried. A
 * crash between publish and commit publishes the batch again: delivery is at least once, and the
 * consumers ignore what they already hold (the version is the row's `seq`).
 */
export async function relayRoomEvents(options: RelayOptions): Promise<RelayReport> {
  const batchSize = options.batchSize ?? 500;
  const report: RelayReport = { published: 0, batches: 0 };
  for (;;) {
    const client = await options.pool.connect();
    let claimed: OutboxRow[] = [];
    try {
      await client.query('BEGIN');
      ({ rows: claimed } = await client.query<OutboxRow>(
        `SELECT seq, event, payload FROM tenancy.event_outbox
          WHERE published_at IS NULL
          ORDER BY seq
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [batchSize],
      ));
      if (claimed.length === 0) {
        await client.query('COMMIT');
        return report;
      }
      await options.bus.publishBatch(claimed.map((row) => ({ event: row.event, data: { ...row.payload, version: Number(row.seq) } })));
      await client.query(`UPDATE tenancy.event_outbox SET published_at = $1, attempts = attempts + 1, last_error = NULL WHERE seq = ANY($2::bigint[])`, [
        options.clock.now(),
        claimed.map((row) => row.seq),
      ]);
      await client.query('COMMIT');
      report.published += claimed.length;
      report.batches += 1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (claimed.length > 0) {
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
        await options.pool
          .query(`UPDATE tenancy.event_outbox SET attempts = attempts + 1, last_error = $1 WHERE seq = ANY($2::bigint[]) AND published_at IS NULL`, [
            message,
            claimed.map((row) => row.seq),
          ])
          .catch(() => undefined);
      }
      throw error;
    } finally {
      client.release();
    }
    if (claimed.length < batchSize) return report;
  }
}
