import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { runLocal } from '../../src/core/transport/local.js';
import { assertReachable } from '../../src/core/transport/reachable.js';
import { createSshTransport, type SshTransport } from '../../src/core/transport/ssh.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

async function expectUnreachable(p: Promise<unknown>, message: RegExp): Promise<UserError> {
  const err = await p.then(
    () => expect.fail('expected an unreachable error'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  const e = err as UserError;
  expect(e.message).toMatch(message);
  expect(e.message).not.toContain('\n');
  expect(e.exitCode).toBe(2);
  return e;
}

describe('ssh transport: unreachable loopback port', () => {
  it('gives a one-line UserError naming the host, quickly', async () => {
    const port = await closedPort();
    const t = createSshTransport({ target: `ssh://root@127.0.0.1:${port}`, connectTimeoutSec: 2 });
    const started = Date.now();
    await expectUnreachable(assertReachable(t, 'prod'), new RegExp(`^host 'prod': unreachable over ssh://root@127\\.0\\.0\\.1:${port} \\(Connection refused\\)$`));
    expect(Date.now() - started).toBeLessThan(5_000);
    await t.close();
  });
});

describe.skipIf(!hostsAvailable())('ssh transport on test hosts', () => {
  const hosts = useTestHosts();
  let a: TestHost;
  let b: TestHost;
  let t: SshTransport;
  beforeAll(async () => {
    [a, b] = await Promise.all([hosts.create('alpha'), hosts.create('beta')]);
    t = createSshTransport({ target: a.target, sshConfig: a.sshConfig, name: 'alpha', connectTimeoutSec: 2 });
  });
  afterAll(() => t?.close());

  it('runs a command and returns stdout, stderr and the exit code', async () => {
    const r = await t.run(['sh', '-c', 'hostname; echo oops >&2; exit 3']);
    expect(r).toMatchObject({ exitCode: 3, stdout: 'alpha\n', stderr: 'oops\n', timedOut: false });
    expect(t.describe).toBe(a.target);
    expect(t.storeUrl).toBe(`ssh://root@${a.address}`);
  });

  it('treats a remote exit 255 as a result, not as unreachable', async () => {
    const r = await t.run(['sh', '-c', 'echo ssh: connect to host x port 22: Connection refused >&2; exit 255']);
    expect(r.exitCode).toBe(255);
  });

  it('passes env and stdin, and times out', async () => {
    const r = await t.run(['sh', '-c', 'printf "%s|" "$GREETING"; cat'], { env: { GREETING: "it's $(me)" }, input: 'from stdin' });
    expect(r.stdout).toBe("it's $(me)|from stdin");
    // The remote command is killed too, not just the local ssh.
    const slow = await t.run(['sh', '-c', 'sleep 7.25; echo late'], { timeoutMs: 300 });
    expect(slow).toMatchObject({ timedOut: true, exitCode: 124 });
    expect(slow.durationMs).toBeLessThan(2_000);
    expect((await t.run(['ps', '-eo', 'args'])).stdout).not.toContain('sleep 7.25');
  });

  it('does not forward the machine’s API keys over ssh', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-should-not-travel';
    try {
      const r = await t.run(['env']);
      expect(r.stdout).not.toContain('sk-ant-should-not-travel');
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
    }
  });

  it('reaches the host by its ssh_config alias too', async () => {
    const byAlias = createSshTransport({ target: 'ssh://alpha', sshConfig: a.sshConfig });
    expect((await byAlias.run(['hostname'])).stdout).toBe('alpha\n');
    await byAlias.close();
  });

  it('keeps two hosts isolated', async () => {
    await a.writeFile('/root/.openclaw/only-on-alpha', 'a\n', 0o600);
    await a.writeFile('/tmp/only-on-alpha', 'a\n');
    expect((await a.run(['cat', '/root/.openclaw/only-on-alpha'])).stdout).toBe('a\n');
    expect((await a.run(['stat', '-c', '%a', '/root/.openclaw/only-on-alpha'])).stdout).toBe('600\n');
    for (const p of ['/root/.openclaw/only-on-alpha', '/tmp/only-on-alpha']) {
      expect((await b.run(['test', '-e', p])).exitCode, p).toBe(1);
      expect(existsSync(p), `${p} on the machine`).toBe(false);
    }
    expect(existsSync(join(a.rootDir, 'root/.openclaw/only-on-alpha'))).toBe(true);
    expect(existsSync(join(b.rootDir, 'root/.openclaw/only-on-alpha'))).toBe(false);
    expect((await b.run(['hostname'])).stdout).toBe('beta\n');
  });

  it('reuses one connection (figures printed, not asserted)', async () => {
    const n = 10;
    await t.run(['true']); // the master is up
    let started = performance.now();
    for (let i = 0; i < n; i++) expect((await t.run(['true'])).exitCode).toBe(0);
    const shared = performance.now() - started;
    started = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await runLocal(['ssh', '-F', a.sshConfig, '-oControlMaster=no', '-oControlPath=none', '--', a.name, 'true']);
      expect(r.exitCode).toBe(0);
    }
    const fresh = performance.now() - started;
    console.log(`[transport] ${n} commands: shared connection ${shared.toFixed(0)} ms, fresh connections ${fresh.toFixed(0)} ms`);
  });

  it('turns a host whose sshd stopped into a one-line UserError', async () => {
    const gone = await hosts.create('gone');
    const g = createSshTransport({ target: gone.target, sshConfig: gone.sshConfig, connectTimeoutSec: 2 });
    await assertReachable(g, 'gone');
    await g.close();
    // Stop every process in the host's namespace: the address stays, port 22 refuses.
    const pids = spawnSync('ip', ['netns', 'pids', gone.netns], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const p of pids) process.kill(Number(p), 'SIGKILL');
    const started = Date.now();
    await expectUnreachable(g.run(['true']), new RegExp(`^host '${gone.address.replaceAll('.', '\\.')}': unreachable over ${gone.target} \\(Connection refused\\)$`));
    await expectUnreachable(assertReachable(g, 'prod'), /^host 'prod': unreachable over ssh:\/\/root@10\.213\.\d+\.2 \(Connection refused\)$/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await g.close();
  });
});
