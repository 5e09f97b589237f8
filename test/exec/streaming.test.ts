// A step's output reaches the screen while it runs, line by line, redacted by a redactor that
// keeps its state across chunks: a token cut in two and a PEM block over several lines.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeStep } from '../../src/core/exec/executor.js';
import { openAuditLog } from '../../src/core/exec/audit.js';
import type { ExecEvent } from '../../src/core/exec/types.js';
import { hostStateDir } from '../../src/core/plan/catalog.js';
import { makeStep } from '../../src/core/plan/steps.js';
import { createLocalTransport } from '../../src/core/transport/local.js';
import type { RunOptions, RunResult, Transport } from '../../src/core/transport/types.js';
import { PEM_LINES, PEM_SECRETS } from '../secrets/cases.js';
import { makeCtx, testHost } from './helpers.js';

const TG = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const dir = mkdtempSync(join(tmpdir(), 'clawdeploy-stream-'));
const host = testHost({ profile: join(dir, 'profile') });
const state = hostStateDir(host);
mkdirSync(state, { recursive: true });
const audit = openAuditLog(join(dir, 'audit.jsonl'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outputLines = (events: ExecEvent[]) => events.filter((e) => e.type === 'output').map((e) => (e as { line: string }).line);

describe('output while a step runs', () => {
  it('arrives before the step ends (a real process reading a FIFO that is written in two parts)', async () => {
    const fifo = join(state, 'slow');
    execFileSync('mkfifo', [fifo]);
    const events: ExecEvent[] = [];
    let resolveFirst!: () => void;
    const first = new Promise<void>((r) => (resolveFirst = r));
    const ctx = makeCtx({ host, transport: createLocalTransport(), audit });
    ctx.onEvent = (e) => {
      events.push(e);
      if (e.type === 'output') resolveFirst();
    };
    const running = executeStep(makeStep('r', 'read-host-file', { path: fifo }, 'x', ctx.actionCtx), ctx);
    const fd = openSync(fifo, 'w');
    writeSync(fd, `first line, token ${TG}\n`);
    await first;
    expect(events.map((e) => e.type)).toEqual(['step-start', 'output']);
    writeSync(fd, 'second line\n');
    closeSync(fd);
    const o = await running;
    expect(o.status).toBe('ok');
    expect(outputLines(events)).toEqual(['first line, token [REDACTED:telegram-bot-token]', 'second line']);
    expect(events.at(-1)?.type).toBe('step-end');
  });

  it('redacts a token cut across chunks and a PEM block across lines; a last line without a newline still comes', async () => {
    const text = `token=${TG}\n${PEM_LINES.join('\n')}\nend without newline`;
    const cuts = [3, 12, 20, text.indexOf('MIIE') + 5, text.length - 4];
    // A transport that hands its output over in the pieces above (the Transport port, not a mock of the executor).
    const chunked: Transport = {
      describe: 'chunked',
      storeUrl: null,
      async run(_argv: readonly string[], o: RunOptions = {}): Promise<RunResult> {
        let from = 0;
        for (const to of [...cuts, text.length]) {
          o.onOutput?.('stdout', Buffer.from(text.slice(from, to)));
          from = to;
        }
        return { exitCode: 0, stdout: text, stderr: '', durationMs: 1, timedOut: false };
      },
      close: async () => undefined,
    };
    const events: ExecEvent[] = [];
    const ctx = makeCtx({ host, transport: chunked, audit, events });
    writeFileSync(join(state, 'f'), '');
    await executeStep(makeStep('c', 'read-host-file', { path: join(state, 'f') }, 'x', ctx.actionCtx), ctx);
    const got = outputLines(events);
    expect(got[0]).toBe('token=[REDACTED:telegram-bot-token]');
    expect(got.at(-1)).toBe('end without newline');
    expect(got).toHaveLength(2 + PEM_LINES.length);
    const all = got.join('\n');
    expect(all).not.toContain(TG);
    for (const s of PEM_SECRETS) expect(all).not.toContain(s);
  });
});
