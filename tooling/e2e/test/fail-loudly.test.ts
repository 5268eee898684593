import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceLoadError, startStack, type Stack } from '../src/index.ts';

/**
 * Issue 12 item 6: a stack that quietly ran without a subgraph would let a FORBIDDEN test pass for
 * the wrong reason (the field is missing, not refused). A subgraph that does not import, exports no
 * definition, or does not start (and a gateway that does not start) fails the stack with its name,
 * after stopping what had started. The control is the same call with
 * billing's own module: it starts and answers.
 */
const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);

describe('the harness fails loudly when a subgraph cannot run', () => {
  it('names the subgraph whose module throws on import, with the cause', async () => {
    const error = await startStack({ only: ['billing'], subgraphModules: { billing: fixture('throws-on-import.ts') } }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ServiceLoadError);
    expect((error as ServiceLoadError).service).toBe('billing');
    expect((error as Error).message).toMatch(/^harness: billing: failed to import .*throws-on-import\.ts: fixture: this subgraph module throws when imported$/);
    expect(((error as Error).cause as Error).message).toBe('fixture: this subgraph module throws when imported');
  });

  it('names the subgraph whose module exports no definition under its name', async () => {
    await expect(startStack({ only: ['billing'], subgraphModules: { billing: fixture('exports-nothing.ts') } })).rejects.toThrow(
      /^harness: billing: .*exports-nothing\.ts exports no subgraph definition named 'billing'$/,
    );
  });

  it('names the subgraph that imports but does not start', async () => {
    await expect(startStack({ only: ['billing'], subgraphModules: { billing: fixture('fails-to-start.ts') } })).rejects.toThrow(
      /^harness: billing: failed to start: Invalid configuration for billing:[\s\S]*PORTAL_HARNESS_FIXTURE_REQUIRED/,
    );
  }, 120_000);

  it('names the gateway when it does not start', async () => {
    await expect(startStack({ only: [], gatewayEnv: { PORTAL_HARNESS_FIXTURE_UNKNOWN: '1' } })).rejects.toThrow(
      /^harness: gateway: failed to start: [\s\S]*PORTAL_HARNESS_FIXTURE_UNKNOWN/,
    );
  }, 120_000);

  describe('control: the same call with billing itself', () => {
    let stack: Stack | undefined;
    afterAll(async () => {
      await stack?.stop();
    });

    it('starts billing and routes to it', async () => {
      stack = await startStack({ only: ['billing'] });
      expect(Object.keys(stack.subgraphs).sort()).toEqual(['billing', 'tenancy']);
      const r = await stack.callSubgraph<{ _service: { sdl: string } }>('billing', '{ _service { sdl } }');
      expect(r.status).toBe(200);
      expect(r.body.data?._service.sdl).toContain('type Invoice');
    }, 120_000);
  });
});
