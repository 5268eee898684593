/**
 * What giving each duplicate position its own copy costs in `fanOutEntities`, beside what sending
 * each entity once saves. Run: `npx tsx gateway/bench/fan-out.bench.ts`. Prints figures; asserts nothing.
 */
import { copyJson, dedupeRepresentations, fanOutEntities } from '../src/entity-dedup.ts';

const positions = 1000;
const distinct = 100;
const representations = Array.from({ length: positions }, (_, i) => ({ __typename: 'Room', id: `room-${i % distinct}` }));
const answer = (i: number) => ({ __typename: 'Room', id: `room-${i}`, roomNumber: `${100 + i}`, propertyName: 'レオパレス中野', prefecture: '東京都', lease: { id: `lease-${i}`, startDate: '2026-04-01', endDate: null } });

function time(label: string, rounds: number, fn: () => void) {
  for (let i = 0; i < 50; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / rounds;
  console.log(`${label.padEnd(58)} ${(ms * 1000).toFixed(1).padStart(8)} µs`);
}

const deduped = dedupeRepresentations(representations)!;
const distinctAnswers = { data: { _entities: deduped.distinct.map((_, i) => answer(i)) } };
const sharedFanOut = (response: typeof distinctAnswers, slotOf: number[]) => ({ data: { _entities: slotOf.map((slot) => response.data._entities[slot]) } });

console.log(`${positions} positions over ${distinct} distinct entities`);
time('dedupe the representations', 2000, () => dedupeRepresentations(representations));
time('fan out, shared objects (the old, wrong way)', 2000, () => sharedFanOut(distinctAnswers, deduped.slotOf));
time('fan out, one copy per repeated position (now)', 2000, () => fanOutEntities(distinctAnswers, deduped.slotOf));
time('parse the 900 answers a subgraph no longer sends', 500, () => JSON.parse(JSON.stringify({ data: { _entities: representations.map((_, i) => answer(i % distinct)) } })));
time('copy one answer', 100_000, () => copyJson(answer(1)));
