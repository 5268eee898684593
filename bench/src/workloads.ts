/**
 * The operations the bench sends. Each workload has a check that reduces an answer to a few
 * numbers, so every setup is shown to return the same data before it is timed.
 */
export interface Operation {
  query: string;
  operationName: string;
  variables: Record<string, unknown>;
}

export interface Workload {
  key: string;
  title: string;
  /** Throughput/latency workloads: the same operation(s) over and over. */
  operations: Operation[];
  /** Planning-cost workloads: every operation is sent once per round (new ones each round). */
  oncePerRound?: boolean;
  check(data: unknown): string;
  unavailable?: string;
}

export interface WorkloadContext {
  invoiceId: string;
  currentMonth: string;
  /** Root fields the supergraph has (parts of the dashboard follow what exists). */
  queryFields: Set<string>;
  rounds: number;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const LINES = `query InvoiceLines($id: ID!, $first: Int!) {
  invoice(id: $id) {
    id billingMonth totalAmount
    lines(first: $first) {
      totalCount
      edges { node { id apNo propertyName roomNumber total room { id prefecture city hasSmartlock moveInDate lease { contractNumber startDate } } } }
    }
  }
}`;

const HISTORY = `query InvoiceHistory($lines: Int!) {
  invoices(first: 12) {
    edges { node { billingMonth totalAmount lines(first: $lines) { edges { node { total room { id prefecture city lease { contractNumber } } } } } } }
  }
}`;

const RESIDENTS = `query ResidentSearch($filter: ResidentSearchFilter) {
  residentSearch(filter: $filter, first: 50) {
    totalCount
    edges { node { hasSmartlock moveInDate room { id apNo propertyName roomNumber city } resident1 { name kana } resident2 { name } smartlockRecipient { recipientCode } } }
  }
}`;

function dashboard(ctx: WorkloadContext): { query: string; parts: string[] } {
  const parts = ['me', 'currentInvoice', 'rooms (residents from smartlock, insurance from contracts)'];
  const cancellations = ctx.queryFields.has('cancellationsAwaitingMyApproval')
    ? '  cancellationsAwaitingMyApproval { id status cancellationDate roomNumber propertyName }\n'
    : '';
  if (cancellations) parts.push('cancellationsAwaitingMyApproval');
  const query = `query Dashboard($rooms: Int!) {
  me { account { name } member { name memberNumber } permissions { billing cancellation residents } }
  currentInvoice { billingMonth totalAmount dueDate status lines(first: 1) { totalCount } }
${cancellations}  rooms(first: $rooms) {
    totalCount
    edges { node { id apNo propertyName roomNumber hasSmartlock residents { id } hasFireInsurance } }
  }
}`;
  return { query, parts };
}

const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);

export function buildWorkloads(ctx: WorkloadContext): Workload[] {
  const dash = dashboard(ctx);
  const workloads: Workload[] = [
    {
      key: 'a',
      title: "(a) one invoice's 1,000 lines with room data from tenancy",
      operations: [{ query: LINES, operationName: 'InvoiceLines', variables: { id: ctx.invoiceId, first: 1000 } }],
      check: (d) => {
        const lines = ((d as Obj)?.invoice?.lines?.edges ?? []) as Obj[];
        return `lines=${lines.length} withRoom=${lines.filter((e) => e.node?.room?.prefecture).length} total=${lines.reduce((s, e) => s + (e.node?.total ?? 0), 0)}`;
      },
    },
    {
      key: 'b',
      title: '(b) resident search over 200,000 rooms, two filters (prefecture, registered residents), with room data from tenancy',
      operations: [{ query: RESIDENTS, operationName: 'ResidentSearch', variables: { filter: { prefecture: '東京都', registrationStatus: 'REGISTERED' } } }],
      check: (d) => {
        const rows = ((d as Obj)?.residentSearch?.edges ?? []) as Obj[];
        return `total=${(d as Obj)?.residentSearch?.totalCount} rows=${rows.length} withRoom=${rows.filter((e) => e.node?.room?.propertyName).length} resident1=${rows.filter((e) => e.node?.resident1).length}`;
      },
      unavailable: ctx.queryFields.has('residentSearch') ? undefined : "smartlock's `residentSearch` is not in the supergraph yet (being built); nothing to measure",
    },
    {
      key: 'c',
      title: `(c) dashboard over all four subgraphs: ${dash.parts.join(', ')}`,
      operations: [{ query: dash.query, operationName: 'Dashboard', variables: { rooms: 50 } }],
      check: (d) => {
        const o = d as Obj;
        const rooms = (o?.rooms?.edges ?? []) as Obj[];
        return `me=${o?.me?.member?.memberNumber} invoice=${o?.currentInvoice?.billingMonth} rooms=${rooms.length} noResidents=${rooms.filter((e) => count(e.node?.residents) === 0).length} uninsured=${rooms.filter((e) => e.node?.hasFireInsurance === false).length} cancellations=${count(o?.cancellationsAwaitingMyApproval)}`;
      },
    },
    {
      key: 'd',
      title: '(d) 200 query shapes never seen before (planning cost), each sent once per round',
      operations: shapes(ctx),
      oncePerRound: true,
      check: (d) => `rootFields=${Object.keys((d as Obj) ?? {}).length}`,
    },
    {
      key: 'e',
      title: '(e) 12 months × 100 invoice lines with room data (each room 12 times: entity deduplication)',
      operations: [{ query: HISTORY, operationName: 'InvoiceHistory', variables: { lines: 100 } }],
      check: (d) => {
        const months = ((d as Obj)?.invoices?.edges ?? []) as Obj[];
        const lines = months.flatMap((m) => (m.node?.lines?.edges ?? []) as Obj[]);
        return `months=${months.length} lines=${lines.length} withRoom=${lines.filter((e) => e.node?.room?.prefecture).length}`;
      },
    },
  ];
  return workloads;
}

/** Field pool for generated shapes: [selection, subgraph]. */
const POOL: string[] = [
  'apNo', 'propertyName', 'roomNumber', 'prefecture', 'city', 'hasSmartlock', 'moveInDate', 'memberNumber',
  'lease { contractNumber }', 'lease { startDate penaltyUntil }', 'lease { penaltyAmount endDate }',
  'residents { name }', 'residents { id slot }', 'smartlockRecipient { recipientCode }',
  'hasFireInsurance', 'fireInsurance { policyNumber }', 'fireInsurance { insurer endDate }',
  'invoiceLines(billingMonth: $month) { total }', 'invoiceLines(billingMonth: $month) { taxRate apNo }',
];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 200 operations per round, all different (field subsets, order and aliases), none seen in an earlier
 * round: round r uses operations [r*200, r*200+200).
 */
export function shapes(ctx: { currentMonth: string; rounds: number }, perRound = 200): Operation[] {
  const ops: Operation[] = [];
  const total = perRound * (ctx.rounds + 1); // +1: the calibration pass gets its own
  for (let n = 0; n < total; n++) {
    const random = mulberry32(7919 * (n + 1));
    const picked = POOL.filter(() => random() < 0.35);
    if (!picked.some((f) => /residents|smartlock|Insurance|fireInsurance|invoiceLines/.test(f))) picked.push(POOL[11 + Math.floor(random() * 8)]!);
    picked.sort(() => random() - 0.5);
    const fields = picked.map((f, i) => (random() < 0.4 ? `a${n}_${i}: ${f}` : f)).join(' ');
    const usesMonth = fields.includes('$month');
    ops.push({
      query: `query Shape${n}${usesMonth ? '($month: String)' : ''} { s${n}: rooms(first: 20) { edges { node { id ${fields} } } } }`,
      operationName: `Shape${n}`,
      variables: usesMonth ? { month: ctx.currentMonth } : {},
    });
  }
  return ops;
}
