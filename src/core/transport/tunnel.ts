// A byte stream to a port on the host's own loopback: where the gateway listens (bind loopback).
// Local hosts get a TCP connection; ssh hosts an `ssh -W 127.0.0.1:PORT` stdio forward over the
// transport's shared connection (its control socket, options and keepalives), so the gateway
// sees a loopback client and nothing is opened on the host's network.
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { scrubEnv } from './env.js';
import { isSshTransport } from './ssh.js';
import { destination } from './target.js';
import type { Transport } from './types.js';

export function openTunnel(transport: Transport, port: number): Duplex {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`not a port: ${port}`);
  if (transport.connect) return transport.connect(port);
  if (!isSshTransport(transport)) throw new Error(`transport ${transport.describe} cannot reach the gateway port`);
  const child = spawn('ssh', [...transport.sshOptions(), '-x', '-a', '-W', `127.0.0.1:${port}`, '--', destination(transport.target)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: scrubEnv(process.env),
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  // ssh says why a forward failed ("connect failed: Connection refused") on stderr, then exits.
  child.on('exit', (code) => {
    if (code !== 0 && !stream.destroyed) {
      const why =
        stderr
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .at(-1) ?? `ssh exited ${code}`;
      stream.destroy(Object.assign(new Error(/refused/i.test(why) ? `connect ECONNREFUSED 127.0.0.1:${port} on the host` : why), { code: /refused/i.test(why) ? 'ECONNREFUSED' : 'SSH' }));
    }
  });
  child.on('error', (e) => stream.destroy(e));
  stream.on('close', () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  return stream;
}
