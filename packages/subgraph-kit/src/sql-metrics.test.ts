import { describe, expect, it } from 'vitest';
import { SqlMetrics, countRepresentations } from './sql-metrics.ts';

describe('SqlMetrics', () => {
  it('counts statements per request, in requests, and in total (background work only in the total)', async () => {
    const m = new SqlMetrics();
    m.record(); // a background job's statement: no request around it
    const a = m.run(async () => {
      m.record();
      await new Promise((r) => setTimeout(r, 1));
      m.record();
    });
    const b = m.run(() => m.record());
    await a.result;
    m.record();
    expect(a.counter.count).toBe(2);
    expect(b.counter.count).toBe(1);
    expect(m.inRequests).toBe(3);
    expect(m.total).toBe(5);
  });

  it('counts representations sent and distinct, whatever the key order', () => {
    const body = { variables: { representations: [{ __typename: 'Room', id: '1' }, { id: '1', __typename: 'Room' }, { __typename: 'Room', id: '2' }] } };
    expect(countRepresentations(body)).toEqual({ sent: 3, distinct: 2 });
    expect(countRepresentations({ variables: {} })).toBeNull();
  });
});
