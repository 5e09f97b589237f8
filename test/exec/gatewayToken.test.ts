// The gateway token of the RPC checks: read on the host once per connection, and once too by
// checks that start together (a validation starts status, health and the channel probe at once).
import { describe, expect, it, vi } from 'vitest';
import type { ExecContext } from '../../src/core/exec/types.js';
import type { Transport } from '../../src/core/transport/types.js';
import { host } from '../ui/fixtures.js';

const rpc = vi.hoisted(() => ({ tokens: [] as Array<string | null> }));
vi.mock('../../src/core/openclaw/rpc.js', () => ({
  gatewayRpc: async (calls: unknown[], opts: { token: string | null }) => {
    rpc.tokens.push(opts.token);
    return { hello: null, answers: calls.map(() => ({ ok: true, payload: {} })) };
  },
}));
const { runGatewayCall } = await import('../../src/core/exec/gatewayCall.js');

function context(readToken: () => { exitCode: number; stdout: string }) {
  const reads: string[][] = [];
  const transport: Transport = {
    describe: 'ssh://h',
    storeUrl: 'ssh://h',
    run: async (argv) => {
      // No delay needed: checks started together all ask before any read can answer (it is async).
      reads.push([...argv]);
      return { ...readToken(), stderr: '', durationMs: 1, timedOut: false };
    },
    close: async () => undefined,
  };
  const h = { ...host(), gateway: { ...host().gateway, token: { env: 'OPENCLAW_GATEWAY_TOKEN', files: ['/run/agenix/token'], format: 'value' as const } } };
  const ctx = { host: h, transport, redactor: { addKnownValue: () => undefined } } as unknown as ExecContext;
  return { ctx, reads };
}

const call = (method: string) => ({ port: 18789, method, params: {} });

describe('the RPC checks’ gateway token', () => {
  it('is read once for checks that start together, then kept for the connection', async () => {
    rpc.tokens.length = 0;
    const { ctx, reads } = context(() => ({ exitCode: 0, stdout: 'tok-123\n' }));
    await Promise.all([runGatewayCall(call('status'), ctx, 5_000), runGatewayCall(call('health'), ctx, 5_000), runGatewayCall(call('channels.status'), ctx, 5_000)]);
    await runGatewayCall(call('status'), ctx, 5_000);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain('printenv');
    expect(rpc.tokens).toEqual(['tok-123', 'tok-123', 'tok-123', 'tok-123']);
  });

  it('is read again after a read that found none (not kept)', async () => {
    rpc.tokens.length = 0;
    let n = 0;
    const { ctx, reads } = context(() => (n++ === 0 ? { exitCode: 1, stdout: '' } : { exitCode: 0, stdout: 'tok-456\n' }));
    await Promise.all([runGatewayCall(call('status'), ctx, 5_000), runGatewayCall(call('health'), ctx, 5_000)]);
    await runGatewayCall(call('status'), ctx, 5_000);
    expect(reads).toHaveLength(2);
    expect(rpc.tokens).toEqual([null, null, 'tok-456']);
  });
});
