// The fake Telegram Bot API (fixtures/telegram-api/server.mjs) for the real Telegram channel:
// on the machine's loopback, or on a test host's own loopback (inside its network namespace),
// so a channel is only ever pointed at a fake on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FIXTURES_DIR } from '../../src/demo/fixtures.js';

const run = promisify(execFile);
const SERVER = join(FIXTURES_DIR, 'telegram-api', 'server.mjs');

export interface TelegramApi {
  port: number;
  /** For `channels.telegram.apiRoot`. */
  apiRoot: string;
  /** Tokens that start working (getMe ok) or start answering 401. */
  setGood(tokens: string[]): Promise<void>;
  setBad(tokens: string[]): Promise<void>;
  calls(): Promise<Array<{ token: string; method: string; status: number }>>;
  stop(): Promise<void>;
}

/** Starts the fake; `netns` runs it inside that namespace (the test host's own 127.0.0.1). */
export async function startTelegramApi(opts: { good?: string[]; netns?: string } = {}): Promise<TelegramApi> {
  const args = [SERVER, '--port', '0', ...(opts.good ?? []).flatMap((t) => ['--good', t])];
  const argv = opts.netns ? ['ip', ['netns', 'exec', opts.netns, process.execPath, ...args]] as const : [process.execPath, args] as const;
  const child: ChildProcess = spawn(argv[0], [...argv[1]], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`fake Telegram API exited (${code}) before listening`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const request = async (path: string, body?: unknown): Promise<string> => {
    const curl = ['curl', '-sS', '--max-time', '5', ...(body ? ['-X', 'POST', '-H', 'content-type: application/json', '--data', JSON.stringify(body)] : []), `${base}${path}`];
    const { stdout } = opts.netns ? await run('ip', ['netns', 'exec', opts.netns, ...curl]) : await run(curl[0]!, curl.slice(1));
    return stdout;
  };
  return {
    port,
    apiRoot: base,
    setGood: async (tokens) => void (await request('/__control', { good: tokens })),
    setBad: async (tokens) => void (await request('/__control', { bad: tokens })),
    calls: async () => JSON.parse(await request('/__calls')) as Array<{ token: string; method: string; status: number }>,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
