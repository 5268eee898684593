import { describe, expect, it } from 'vitest';
import { goals, summarize, zeroCostCeiling, type Measurement, type RunResult } from '../src/report.ts';
import type { SetupName } from '../src/config.ts';

const m = (setup: SetupName, round: number, rps: number, cpu: number, backend: number, p99 = 100): Measurement => ({
  setup, workload: 'a', round, rps, p50: 50, p99, rate: 1, cpuMsPerRequest: cpu, backendCpuMsPerRequest: backend,
  peakRssMiB: 100, sqlPerRequest: 5, representations: 10, distinctRepresentations: 10, errors: 0, requests: 10,
});

function run(measurements: Measurement[]): RunResult {
  const setups = [...new Set(measurements.map((x) => x.setup))];
  return {
    startedAt: '', finishedAt: '', quick: false,
    machine: { cpus: 2, cpuModel: '', memoryGiB: 1, node: '', loadBefore: [0, 0, 0], loadAfter: [0, 0, 0] },
    settings: {}, workloads: [{ key: 'a', title: 'a', unavailable: null, check: null }], setups, measurements,
    sqlScaling: [], summary: summarize(measurements, setups),
  };
}

describe('bench report', () => {
  it('ratios are medians of per-round ratios ours ÷ peer', () => {
    const r = run([m('ours', 0, 10, 20, 80), m('apollo', 0, 5, 30, 80), m('ours', 1, 12, 20, 80), m('apollo', 1, 12, 30, 80), m('ours', 2, 9, 20, 80), m('apollo', 2, 6, 30, 80)]);
    // per round: 2.0, 1.0, 1.5 → median 1.5
    expect(r.summary.a?.apollo?.oursRpsRatio).toBeCloseTo(1.5);
    expect(goals(r).find((g) => g.goal.startsWith('(a) ours ≥ 1.5× stock Apollo'))?.met).toBe(true);
  });

  it('the zero-cost ceiling is (backend + peer CPU) ÷ backend, from the run itself', () => {
    const r = run([m('ours', 0, 10, 20, 80), m('apollo', 0, 10, 40, 80)]);
    expect(zeroCostCeiling(r, 'a', 'apollo')).toBeCloseTo(1.5);
    expect(goals(r).find((g) => g.goal.startsWith('(a) ours ≥ 1.5× stock Apollo'))?.ceiling).toBe('1.50×');
    // Without backend figures (another PostgreSQL server) there is no ceiling to state.
    const none = run([{ ...m('ours', 0, 10, 20, 0), backendCpuMsPerRequest: null }, { ...m('apollo', 0, 10, 40, 0), backendCpuMsPerRequest: null }]);
    expect(zeroCostCeiling(none, 'a', 'apollo')).toBeNull();
  });
});
