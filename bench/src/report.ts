/** Medians, per-round ratios against our gateway, the goals, and the markdown table. */
import type { SetupName } from './config.ts';

export interface Measurement {
  setup: SetupName;
  workload: string;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  rate: number | null;
  cpuMsPerRequest: number;
  /** CPU of the four subgraphs and PostgreSQL per request (null when PostgreSQL is not the bench's own). */
  backendCpuMsPerRequest?: number | null;
  /** The same, per process (billing, tenancy, smartlock, contracts, postgres). */
  backendCpuMsByProcess?: Record<string, number>;
  peakRssMiB: number;
  sqlPerRequest: number;
  representations: number;
  distinctRepresentations: number;
  errors: number;
  requests: number;
}

export interface SetupSummary {
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  backendCpuMsPerRequest: number | null;
  peakRssMiB: number;
  sqlPerRequest: number;
  /** Representations sent ÷ distinct entities (1.0 = deduplicated); null when no entity calls. */
  representationsRatio: number | null;
  errors: number;
  /** Median over rounds of ours ÷ this setup (requests/s) and ours ÷ this setup (p99). */
  oursRpsRatio: number | null;
  oursP99Ratio: number | null;
}

export interface RunResult {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; loadBefore: number[]; loadAfter: number[] };
  settings: Record<string, unknown>;
  workloads: { key: string; title: string; unavailable: string | null; check: string | null }[];
  setups: SetupName[];
  measurements: Measurement[];
  sqlScaling: { operation: string; rows: number; sqlPerRequest: number }[];
  summary: Record<string, Partial<Record<SetupName, SetupSummary>>>;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function summarize(ms: Measurement[], setups: SetupName[]): RunResult['summary'] {
  const out: RunResult['summary'] = {};
  for (const workload of [...new Set(ms.map((m) => m.workload))]) {
    out[workload] = {};
    for (const setup of setups) {
      const mine = ms.filter((m) => m.workload === workload && m.setup === setup);
      if (mine.length === 0) continue;
      const ratios = mine.map((m) => {
        const ours = ms.find((o) => o.workload === workload && o.round === m.round && o.setup === 'ours');
        return ours ? { rps: ours.rps / m.rps, p99: ours.p99 / m.p99 } : null;
      }).filter((r): r is { rps: number; p99: number } => r !== null);
      const reps = mine.reduce((s, m) => s + m.representations, 0);
      const distinct = mine.reduce((s, m) => s + m.distinctRepresentations, 0);
      out[workload]![setup] = {
        rps: median(mine.map((m) => m.rps)),
        p50: median(mine.map((m) => m.p50)),
        p99: median(mine.map((m) => m.p99)),
        cpuMsPerRequest: median(mine.map((m) => m.cpuMsPerRequest)),
        backendCpuMsPerRequest: mine.every((m) => typeof m.backendCpuMsPerRequest === 'number') ? median(mine.map((m) => m.backendCpuMsPerRequest as number)) : null,
        peakRssMiB: Math.max(...mine.map((m) => m.peakRssMiB)),
        sqlPerRequest: median(mine.map((m) => m.sqlPerRequest)),
        representationsRatio: distinct > 0 ? reps / distinct : null,
        errors: mine.reduce((s, m) => s + m.errors, 0),
        oursRpsRatio: ratios.length ? median(ratios.map((r) => r.rps)) : null,
        oursP99Ratio: ratios.length ? median(ratios.map((r) => r.p99)) : null,
      };
    }
  }
  return out;
}

const f = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));

/**
 * The best ratio any gateway could reach against `setup` on a workload, on this machine: every setup
 * runs on the same cores as the subgraphs and PostgreSQL, so a request costs at least the backend's
 * CPU B; a gateway costing nothing would be (B + G_setup) ÷ B faster than `setup` (G: its CPU per
 * request), and no faster.
 */
export function zeroCostCeiling(r: RunResult, workload: string, setup: SetupName): number | null {
  const w = r.summary[workload];
  const backend = w ? median(Object.values(w).map((x) => x.backendCpuMsPerRequest).filter((x): x is number => typeof x === 'number')) : NaN;
  const g = w?.[setup]?.cpuMsPerRequest;
  return Number.isFinite(backend) && backend > 0 && typeof g === 'number' ? (backend + g) / backend : null;
}

export function goals(r: RunResult): { goal: string; value: string; met: boolean | null; ceiling?: string }[] {
  const s = r.summary;
  const g: { goal: string; value: string; met: boolean | null; ceiling?: string }[] = [];
  const ratio = (w: string, setup: SetupName, field: 'oursRpsRatio' | 'oursP99Ratio') => s[w]?.[setup]?.[field] ?? null;
  for (const w of ['a', 'c']) {
    const apollo = ratio(w, 'apollo', 'oursRpsRatio');
    g.push({ goal: `(${w}) ours ≥ 1.5× stock Apollo Gateway (req/s)`, value: `${f(apollo, 2)}×`, met: apollo === null ? null : apollo >= 1.5, ceiling: `${f(zeroCostCeiling(r, w, 'apollo'), 2)}×` });
    const hive = ratio(w, 'hive-jit', 'oursRpsRatio');
    g.push({ goal: `(${w}) ours ≥ 1.25× Hive Gateway --jit (req/s)`, value: `${f(hive, 2)}×`, met: hive === null ? null : hive >= 1.25, ceiling: `${f(zeroCostCeiling(r, w, 'hive-jit'), 2)}×` });
    const p99 = ratio(w, 'hive-jit', 'oursP99Ratio');
    g.push({ goal: `(${w}) ours p99 ≤ 0.8× Hive Gateway --jit p99`, value: `${f(p99, 2)}×`, met: p99 === null ? null : p99 <= 0.8 });
    const floor = ratio(w, 'floor', 'oursRpsRatio');
    g.push({ goal: `(${w}) ours ≥ 0.75× the floor (req/s)`, value: `${f(floor, 2)}×`, met: floor === null ? null : floor >= 0.75 });
  }
  for (const w of Object.keys(s)) {
    const rr = s[w]?.ours?.representationsRatio ?? null;
    if (rr !== null) g.push({ goal: `(${w}) ours: representations ÷ distinct entities = 1.0`, value: f(rr, 2), met: Math.abs(rr - 1) < 1e-9 });
  }
  const byOp = new Map<string, number[]>();
  for (const c of r.sqlScaling) byOp.set(c.operation, [...(byOp.get(c.operation) ?? []), c.sqlPerRequest]);
  for (const [op, counts] of byOp) g.push({ goal: `SQL per request constant in row count: ${op}`, value: counts.join(' = '), met: new Set(counts).size === 1 });
  return g;
}

export function renderMarkdown(r: RunResult): string {
  const lines: string[] = [];
  lines.push(`# Gateway benchmark — ${r.startedAt}${r.quick ? ' (quick smoke run: not for conclusions)' : ''}`, '');
  lines.push(`Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; load average before ${r.machine.loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${r.machine.loadAfter.map((l) => l.toFixed(2)).join(' ')}.`);
  lines.push(`Settings: ${JSON.stringify(r.settings)}`, '');
  lines.push('req/s: median over rounds at a fixed concurrency; p50/p99 (ms): at the fixed rate in `settings.rates` (the same for every setup); CPU ms/req and peak RSS of the gateway process tree; backend CPU ms/req: the four subgraphs and PostgreSQL, the cost every setup shares; SQL/req summed over the four subgraphs; reps ÷ distinct: entity representations the subgraphs received ÷ distinct entities per call; ours÷x: median of per-round ratios (req/s; p99).', '');
  for (const w of r.workloads) {
    lines.push(`## ${w.title}`, '');
    if (w.unavailable) {
      lines.push(`Not measured: ${w.unavailable}.`, '');
      continue;
    }
    lines.push(`Check (same for every setup): \`${w.check}\``, '');
    lines.push('| setup | req/s | p50 | p99 | CPU ms/req | backend CPU ms/req | peak RSS MiB | SQL/req | reps ÷ distinct | ours÷x req/s | ours÷x p99 | errors |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const setup of r.setups) {
      const x = r.summary[w.key]?.[setup];
      if (!x) continue;
      lines.push(`| ${setup} | ${f(x.rps)} | ${f(x.p50, 0)} | ${f(x.p99, 0)} | ${f(x.cpuMsPerRequest, 2)} | ${f(x.backendCpuMsPerRequest, 1)} | ${f(x.peakRssMiB, 0)} | ${f(x.sqlPerRequest, 2)} | ${f(x.representationsRatio, 2)} | ${setup === 'ours' ? '' : f(x.oursRpsRatio, 2)} | ${setup === 'ours' ? '' : f(x.oursP99Ratio, 2)} | ${x.errors} |`);
    }
    lines.push('');
  }
  if (r.sqlScaling.length) {
    lines.push('## SQL statements per request against row count (ours)', '', '| operation | rows | SQL/req |', '|---|---:|---:|');
    for (const c of r.sqlScaling) lines.push(`| ${c.operation} | ${c.rows} | ${c.sqlPerRequest} |`);
    lines.push('');
  }
  lines.push('## Goals', '', 'ceiling: the most any gateway could reach against that peer here, (backend CPU + peer\'s CPU) ÷ backend CPU per request, i.e. with a gateway that costs nothing (every process shares the same cores).', '');
  lines.push('| goal | this run | met | ceiling (zero-cost gateway) |', '|---|---:|:---:|---:|');
  for (const g of goals(r)) lines.push(`| ${g.goal} | ${g.value} | ${g.met === null ? '–' : g.met ? 'yes' : '**no**'} | ${g.ceiling ?? ''} |`);
  lines.push('');
  return lines.join('\n');
}
