import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { SubgraphDefinition } from '@portal/subgraph-kit';
import { REPO_ROOT, SUBGRAPHS } from '@portal/schema-tools';

/**
 * Where the harness finds the services it starts: by their folders (the subgraph registry
 * composition uses, and `gateway/`), as `npm start` does, not as package dependencies. The harness
 * is the top floor and the services' own tests import it; declaring the services here would make
 * the workspace graph cyclic, which turbo refuses.
 *
 * A service that does not import, or exports nothing to start, fails the stack with its name: a
 * stack that quietly ran without billing would let a FORBIDDEN test pass for the wrong reason.
 */
export type SubgraphName = SubgraphDefinition<unknown>['name'];

export class ServiceLoadError extends Error {
  constructor(readonly service: string, message: string, options?: { cause?: unknown }) {
    super(`harness: ${service}: ${message}`, options);
    this.name = 'ServiceLoadError';
  }
}

/** The entry module of a subgraph: `<its folder>/src/index.ts`. */
export function subgraphModulePath(name: SubgraphName): string {
  const info = SUBGRAPHS.find((s) => s.name === name);
  if (!info) throw new ServiceLoadError(name, 'not in the subgraph registry (@portal/schema-tools SUBGRAPHS)');
  return path.join(REPO_ROOT, info.dir, 'src/index.ts');
}

export async function importService(service: string, modulePath: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(path.resolve(modulePath)).href)) as Record<string, unknown>;
  } catch (err) {
    throw new ServiceLoadError(service, `failed to import ${path.relative(REPO_ROOT, modulePath) || modulePath}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** A subgraph's definition: the export named after it (`export const billing = defineSubgraph(...)`). */
export async function loadSubgraph(name: SubgraphName, modulePath = subgraphModulePath(name)): Promise<SubgraphDefinition<unknown>> {
  const mod = await importService(name, modulePath);
  const def = mod[name] as SubgraphDefinition<unknown> | undefined;
  if (!def || typeof def !== 'object' || def.name !== name) {
    throw new ServiceLoadError(name, `${path.relative(REPO_ROOT, modulePath) || modulePath} exports no subgraph definition named '${name}'`);
  }
  return def;
}

/**
 * What the harness uses of the running gateway: gateway/src/gateway.ts `RunningGateway`, restated
 * structurally because a type import would be a package dependency on the gateway all the same.
 */
export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
  stopGraceMs: number;
}
export type StartGateway = (env: NodeJS.ProcessEnv, log: Logger) => Promise<RunningGateway>;

export async function loadGateway(modulePath = path.join(REPO_ROOT, 'gateway/src/index.ts')): Promise<StartGateway> {
  const mod = await importService('gateway', modulePath);
  if (typeof mod.startGateway !== 'function') throw new ServiceLoadError('gateway', `${path.relative(REPO_ROOT, modulePath)} exports no startGateway`);
  return mod.startGateway as StartGateway;
}

/** What the harness's seed uses of tenancy (members, rooms and their events live there). */
export interface TenancyHarnessApi {
  hashPassword(password: string): Promise<string>;
  recordRoomUpserts(exec: SqlExecutor, roomIds: string[]): Promise<unknown>;
  recordRoomRemovals(exec: SqlExecutor, rooms: { roomId: string; memberId: string }[]): Promise<unknown>;
  ROOM_EVENT_RELAY_QUEUE: string;
}
export interface SqlExecutor {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export async function loadTenancyApi(modulePath = subgraphModulePath('tenancy')): Promise<TenancyHarnessApi> {
  const mod = await importService('tenancy', modulePath);
  const missing = ['hashPassword', 'recordRoomUpserts', 'recordRoomRemovals', 'ROOM_EVENT_RELAY_QUEUE'].filter((k) => mod[k] === undefined);
  if (missing.length > 0) throw new ServiceLoadError('tenancy', `${path.relative(REPO_ROOT, modulePath)} does not export ${missing.join(', ')}`);
  return mod as unknown as TenancyHarnessApi;
}
