// The fake Telegram Bot API (fixtures/telegram-api/server.mjs) as a child process on this
// machine's loopback, for `clawdeploy demo --real`: the real Telegram channel is pointed at it
// with `channels.telegram.apiRoot`, so nothing leaves the machine.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES_DIR } from './fixtures.js';

export interface TelegramFake {
  port: number;
  apiRoot: string;
  stop(): Promise<void>;
}

/** Starts the fake; `netns` runs it inside that network namespace (a test host's own loopback). */
export async function startTelegramFake(goodTokens: string[], opts: { netns?: string } = {}): Promise<TelegramFake> {
  const server = join(FIXTURES_DIR, 'telegram-api', 'server.mjs');
  const args = [server, '--port', '0', ...goodTokens.flatMap((t) => ['--good', t])];
  // `ip netns exec` execs node in place: the child is the server itself, for stop() to signal.
  const [cmd, argv] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the fake Telegram API exited (${code}) before listening`)));
  });
  return {
    port,
    apiRoot: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
