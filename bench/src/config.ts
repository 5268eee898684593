/** Fixed ports, the data set and the identity the bench uses. */
export const DATA = {
  database: process.env.BENCH_DATABASE ?? 'portal_bench',
  options: { members: 500, rooms: 200_000, months: 12 },
};

export const SUBGRAPH_PORTS = { billing: 5101, tenancy: 5102, smartlock: 5103, contracts: 5104 } as const;
export type SubgraphName = keyof typeof SUBGRAPH_PORTS;
export const SUBGRAPH_NAMES = Object.keys(SUBGRAPH_PORTS) as SubgraphName[];

export const SETUP_PORTS = { floor: 5200, ours: 5201, apollo: 5202, 'hive-jit': 5203, 'hive-router': 5204 } as const;
export type SetupName = keyof typeof SETUP_PORTS;

/** The account every setup calls as: the administrator of member 10000001 (1,200 rooms), from the demo world. */
export const BENCH_LOGIN = { loginId: 'demo-admin', password: 'Demo-Passw0rd!' };
