// A gateway RPC endpoint on loopback for scripted hosts: the handshake as OpenClaw 2026.9.6 does it
// (connect.challenge, then connect, then requests), answering each method from a script. The real
// handshake and payloads are held by test/contract/openclawSurface.test.ts; this only serves
// recorded answers (test/fixtures/openclaw-2026.9.6) on a timeline a test controls.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

export type Scripted = { payload: unknown } | { error: { code: string; message: string } };

export interface FakeGatewayRpc {
  /** A stream to the fake (what a transport's connect() returns). */
  connect(): Duplex;
  /** Every method asked, in order (the handshake's "connect" included). */
  asked: string[];
  stop(): Promise<void>;
}

export async function startFakeGatewayRpc(answer: (method: string) => Scripted): Promise<FakeGatewayRpc> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as net.AddressInfo).port;
  const asked: string[] = [];
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'event', event: 'connect.challenge', payload: { nonce: 'n', ts: Date.now() } }));
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as { id: string; method: string };
      asked.push(f.method);
      if (f.method === 'connect') {
        ws.send(JSON.stringify({ type: 'res', id: f.id, ok: true, payload: { type: 'hello-ok', protocol: 4, server: { version: '2026.9.6' } } }));
        return;
      }
      const a = answer(f.method);
      ws.send(JSON.stringify('payload' in a ? { type: 'res', id: f.id, ok: true, payload: a.payload } : { type: 'res', id: f.id, ok: false, error: a.error }));
    });
  });
  return {
    connect: () => net.connect({ host: '127.0.0.1', port }),
    asked,
    stop: () => new Promise((r) => wss.close(() => r())),
  };
}
