// The fake Telegram Bot API (fixtures/telegram-api/server.mjs) as a child process on this
// machine's loopback, for `clawdeploy demo --real`: the real Telegram channel is pointed at it
// with `channels.telegram.apiRoot`, so nothing leaves the machine.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES_DIR } from './fixtures.js';

export interface TelegramFake {
  apiRoot: string;
  stop(): Promise<void>;
}

export async function startTelegramFake(goodTokens: string[]): Promise<TelegramFake> {
  const server = join(FIXTURES_DIR, 'telegram-api', 'server.mjs');
  const child = spawn(process.execPath, [server, '--port', '0', ...goodTokens.flatMap((t) => ['--good', t])], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    apiRoot: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
