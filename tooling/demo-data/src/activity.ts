import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD, demoMovedOutCancellationIds, type DemoWorld } from '@portal/demo-world';

/**
 * What the demo world needs that only the running services can make honestly: a published settlement
 * statement (its PDF, rendered and stored by tenancy at publication) and a completed time-stamp
 * reservation (a qualified invoice PDF with an RFC 3161 token from the TSA). Instead of faking files
 * and tokens in SQL, the demo users do it through the gateway, as a user would: the operator publishes
 * the statement of the older seeded move-out, demo-clerk reserves a stamp on last month's invoice, and
 * the stamping job runs once (`runStampJob`: `npm start` queues it on billing's job queue, tests run it
 * in process). Speaks only HTTP to the gateway; imports no service.
 */
export interface DemoActivityOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  gatewayUrl: string;
  world: DemoWorld;
  /** Runs billing's nightly stamping now and resolves when it has run. */
  runStampJob: () => Promise<void>;
}

export interface DemoActivityResult {
  settlementStatementId: string;
  timestampReservationId: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function gql(gatewayUrl: string, query: string, variables: Json, token?: string): Promise<Json> {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Json; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(`demo activity: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${res.status}`}`);
  const payload = Object.values(body.data)[0] as Json | null;
  if (payload && Array.isArray(payload.userErrors) && payload.userErrors.length) throw new Error(`demo activity: ${JSON.stringify(payload.userErrors)}`);
  return body.data;
}

export async function runDemoActivity({ gatewayUrl, world, runStampJob }: DemoActivityOptions): Promise<DemoActivityResult> {
  const operator = (await gql(gatewayUrl, 'mutation($i: LoginInput!) { operatorLogin(input: $i) { token userErrors { code } } }', { i: { loginId: 'demo-operator', password: DEMO_PASSWORD } })).operatorLogin.token as string;
  const [older] = demoMovedOutCancellationIds(world);
  if (!older) throw new Error('demo activity: the demo world has no move-out of member 10000001');
  const published = await gql(
    gatewayUrl,
    `mutation($i: PublishSettlementStatementInput!) { operatorPublishSettlementStatement(input: $i) { settlementStatement { id } userErrors { code field } } }`,
    {
      i: {
        cancellationId: older,
        idempotencyKey: `demo-statement-${older}`,
        lines: [
          { description: '原状回復費（クロス張替え）', amount: 27500, taxRate: 'STANDARD_10' },
          { description: 'ルームクリーニング', amount: 16500, taxRate: 'STANDARD_10' },
          { description: '鍵交換費用', amount: 11000, taxRate: 'STANDARD_10' },
        ],
      },
    },
    operator,
  );

  const clerk = (await gql(gatewayUrl, 'mutation($i: LoginInput!) { login(input: $i) { token userErrors { code } } }', { i: { loginId: 'demo-clerk', password: DEMO_PASSWORD } })).login.token as string;
  // the newest confirmed invoice (last month's), the first property's rooms: a reservation of a few lines
  const { invoices } = await gql(gatewayUrl, '{ invoices(first: 3) { edges { node { id billingMonth status } } } }', {}, clerk);
  const lastMonth = (invoices.edges as Json[]).map((e) => e.node).find((i) => i.status === 'CONFIRMED');
  if (!lastMonth) throw new Error('demo activity: member 10000001 has no confirmed invoice');
  const sample = world.members.find((m) => m.memberNumber === '10000001')!;
  const apNo = world.rooms.find((r) => r.memberId === sample.id)!.property.apNo;
  const selection = { filter: { apNo } };
  const preview = (await gql(gatewayUrl, 'query($id: ID!, $s: TimestampSelectionInput!) { timestampSelection(invoiceId: $id, selection: $s) { itemCount totalAmount userErrors { code } } }', { id: lastMonth.id, s: selection }, clerk)).timestampSelection;
  const reserved = await gql(
    gatewayUrl,
    'mutation($i: ReserveTimestampInput!) { reserveTimestamp(input: $i) { reservation { id } userErrors { code field } } }',
    { i: { invoiceId: lastMonth.id, selection, expectedItemCount: preview.itemCount, expectedTotalAmount: preview.totalAmount, idempotencyKey: `demo-stamp-${randomUUID()}` } },
    clerk,
  );
  await runStampJob();
  await gql(gatewayUrl, 'mutation { logout { ok } }', {}, clerk);
  return { settlementStatementId: published.operatorPublishSettlementStatement.settlementStatement.id, timestampReservationId: reserved.reserveTimestamp.reservation.id };
}
