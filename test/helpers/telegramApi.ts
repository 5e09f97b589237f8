// The fake Telegram Bot API (fixtures/telegram-api/server.mjs) for the real Telegram channel, with
// the controls tests need: on the machine's loopback, or on a test host's own loopback (inside its
// network namespace), so a channel is only ever pointed at a fake on loopback.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTelegramFake, type TelegramFake } from '../../src/demo/telegramFake.js';

const run = promisify(execFile);

export interface TelegramApi extends TelegramFake {
  /** Tokens that start working (getMe ok) or start answering 401. */
  setGood(tokens: string[]): Promise<void>;
  setBad(tokens: string[]): Promise<void>;
  calls(): Promise<Array<{ token: string; method: string; status: number }>>;
}

/** Starts the fake; `netns` runs it inside that namespace (the test host's own 127.0.0.1). */
export async function startTelegramApi(opts: { good?: string[]; netns?: string } = {}): Promise<TelegramApi> {
  const fake = await startTelegramFake(opts.good ?? [], opts.netns ? { netns: opts.netns } : {});
  const request = async (path: string, body?: unknown): Promise<string> => {
    const curl = ['curl', '-sS', '--max-time', '5', ...(body ? ['-X', 'POST', '-H', 'content-type: application/json', '--data', JSON.stringify(body)] : []), `${fake.apiRoot}${path}`];
    const { stdout } = opts.netns ? await run('ip', ['netns', 'exec', opts.netns, ...curl]) : await run(curl[0]!, curl.slice(1));
    return stdout;
  };
  return {
    ...fake,
    setGood: async (tokens) => void (await request('/__control', { good: tokens })),
    setBad: async (tokens) => void (await request('/__control', { bad: tokens })),
    calls: async () => JSON.parse(await request('/__calls')) as Array<{ token: string; method: string; status: number }>,
  };
}
