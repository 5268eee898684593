/**
 * The floor as an HTTP endpoint, so the load generator treats it like any gateway: each operation's
 * plan is made before serving (BENCH_OPERATIONS lists them), then every request only runs the
 * fetches (plan-executor.ts) with a pre-signed identity and answers the merged data.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { IDENTITY_HEADER } from '@portal/auth';
import { Planner, executePlan, type SubgraphCall } from './plan-executor.ts';
import { peerEnv, startTokenSource } from './identity.ts';
import type { QueryPlan } from '@apollo/query-planner';

const env = peerEnv();
const tokens = await startTokenSource(env.privateKeyPem, env.identity, Object.keys(env.subgraphUrls));
const planner = new Planner(readFileSync(env.supergraphPath, 'utf8'));
const plans = new Map<string, QueryPlan>();
const operations = JSON.parse(readFileSync(process.env.BENCH_OPERATIONS!, 'utf8')) as { query: string; operationName?: string }[];
for (const op of operations) plans.set(op.query, planner.plan(op.query, op.operationName));

const call: SubgraphCall = async (name, query, variables) => {
  const res = await fetch(env.subgraphUrls[name]!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: tokens.get(name) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Awaited<ReturnType<SubgraphCall>>;
};

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown>; operationName?: string };
        let plan = plans.get(body.query);
        if (!plan) {
          // Not prepared: plan now (counted against the floor, but the bench prepares every operation).
          plan = planner.plan(body.query, body.operationName);
          plans.set(body.query, plan);
        }
        const result = await executePlan(plan, body.variables ?? {}, call);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(result.errors.length ? result : { data: result.data }));
      } catch (err) {
        res.statusCode = 500;
        res.end(JSON.stringify({ errors: [{ message: String(err) }] }));
      }
    })();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(env.port, '127.0.0.1', () => console.log(`floor listening on ${env.port}`));
