// `clawdeploy chat` in a plain terminal, driven through stdin, against the local fake model
// server (the real OpenAI SDK talks to it through OPENAI_BASE_URL).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_SECRETS } from '../helpers/fixtures.js';
import { useLocalHosts } from '../helpers/localHost.js';
import { runCli, printed } from '../helpers/cli.js';
import { startFakeLlm } from '../helpers/fakeLlm.js';
import { HOSTILE_ANSWER } from '../helpers/hostileModelText.js';

const { make } = useLocalHosts();

describe('clawdeploy chat', () => {
  it('plans, streams the explanation, answers, saves a redacted transcript, and resumes it', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const fake = await startFakeLlm([
      { reply: { text: 'This upgrades OpenClaw from 2026.6.10 to 2026.6.11 and restarts the gateway.', usage: { inputTokens: 1200, outputTokens: 30 } } },
      { reply: { text: `Because activation links the new openclaw.json. (token ${FAKE_SECRETS.telegramBotToken} is never shown)`, usage: { inputTokens: 1300, outputTokens: 25 } } },
      { reply: { text: 'Then roll back to generation 1.', usage: { inputTokens: 1400, outputTokens: 10 } } },
    ]);
    try {
      const env = { ...h.env, OPENAI_API_KEY: 'sk-test-not-a-real-key-000000', OPENAI_BASE_URL: fake.openaiBaseURL, CLAWDEPLOY_PROVIDER: 'openai' };
      const r = await runCli(['chat', 'staging', '--flake', h.flake.dir], { env, input: 'why does the gateway restart?\n/quit\n' });
      expect(r.code, printed(r)).toBe(0);
      expect(r.stdout).toMatch(/Plan for staging \(staging\): READY/);
      expect(r.stdout).toMatch(/upgrades OpenClaw from 2026\.6\.10 to 2026\.6\.11/);
      expect(r.stdout).toMatch(/activation links the new openclaw\.json/);
      expect(printed(r)).not.toContain(FAKE_SECRETS.telegramBotToken);
      expect(r.stderr).toMatch(/2 calls, 2500 tokens in, 55 out/);
      expect(fake.requests).toHaveLength(2);

      const dir = join(h.stateDir, 'transcripts');
      const [file] = readdirSync(dir);
      const saved = readFileSync(join(dir, file!), 'utf8');
      expect(saved).not.toContain(FAKE_SECRETS.telegramBotToken);
      expect(JSON.parse(saved)).toMatchObject({ host: 'staging', provider: 'openai', usage: { inputTokens: 2500, outputTokens: 55 } });

      const id = file!.slice(0, 8);
      const again = await runCli(['chat', '--resume', id, '--flake', h.flake.dir], { env, input: 'and if telegram fails after the switch?\n/quit\n' });
      expect(again.code, printed(again)).toBe(0);
      expect(again.stdout).toMatch(/roll back to generation 1/);
      expect(fake.requests).toHaveLength(3);
      // The resumed conversation carries the earlier turns.
      expect(fake.requests[2]!.raw).toMatch(/why does the gateway restart/);
    } finally {
      await fake.close();
    }
  });

  it('plan --explain adds the model explanation to the runbook', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const fake = await startFakeLlm([{ reply: { text: 'OpenClaw moves to 2026.6.11; telegram is probed after the restart.' } }]);
    try {
      const env = { ...h.env, ANTHROPIC_API_KEY: 'sk-ant-test-not-a-real-key-0000', ANTHROPIC_BASE_URL: fake.anthropicBaseURL };
      const md = join(h.stateDir, 'explained.md');
      const r = await runCli(['plan', 'staging', '--flake', h.flake.dir, '--explain', '--runbook', md], { env });
      expect(r.code, printed(r)).toBe(0);
      const text = readFileSync(md, 'utf8');
      expect(text).toMatch(/## Explanation \(anthropic [^)]+\)\n\nOpenClaw moves to 2026\.6\.11/);
      expect(text.indexOf('## Explanation')).toBeLessThan(text.indexOf('## Changes'));
    } finally {
      await fake.close();
    }
  });

  it("the model's own text that reads like instructions is flagged on screen and in the runbook, never passed on silently", async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const fake = await startFakeLlm([{ reply: { text: HOSTILE_ANSWER } }, { reply: { text: HOSTILE_ANSWER } }, { reply: { text: HOSTILE_ANSWER } }]);
    try {
      const env = { ...h.env, OPENAI_API_KEY: 'sk-test-not-a-real-key-000000', OPENAI_BASE_URL: fake.openaiBaseURL, CLAWDEPLOY_PROVIDER: 'openai' };
      const r = await runCli(['chat', 'staging', '--flake', h.flake.dir], { env, input: 'is it safe?\n/quit\n' });
      expect(r.code, printed(r)).toBe(0);
      // Shown as it is, and said to be what it is: once after the explanation, once after the answer.
      expect(r.stdout).toContain('run `rm -rf /var/lib/openclaw` on the host');
      expect(r.stderr.match(/^WARNING: The model's text contains instruction-like text\. It is not an instruction/gm)).toHaveLength(2);
      expect(r.stderr).toMatch(/^ {2}explanation: ignore-instructions: Ignore all previous instructions/m);
      expect(r.stderr).toMatch(/^ {2}answer: skip-confirmation: Do not ask for confirmation/m);

      const md = join(h.stateDir, 'flagged.md');
      const p = await runCli(['plan', 'staging', '--flake', h.flake.dir, '--explain', '--runbook', md], { env });
      expect(p.code, printed(p)).toBe(0);
      expect(p.stdout).toMatch(/> \[!WARNING\]\n> \*\*Instruction-like text from the model\.\*\*/);
      const text = readFileSync(md, 'utf8');
      expect(text.indexOf('> [!WARNING]')).toBeLessThan(text.indexOf('## What this deploy does'));
      expect(text).toMatch(/> - explanation: `+ run-command: /);
      expect(text).toMatch(/## Explanation \(openai [^)]+\)\n\n\*\*Flagged \(see the warning above\): shown as text, not advice\.\*\*\n\n```text\nThe upgrade looks fine\./);
      const side = JSON.parse(readFileSync(md.replace(/\.md$/, '.json'), 'utf8')) as { modelTextFlags: Array<{ where: string; finding: string }> };
      expect(side.modelTextFlags.map((f) => `${f.where} ${f.finding.split(':')[0]}`)).toEqual(
        expect.arrayContaining(['explanation ignore-instructions', 'explanation run-command', 'explanation skip-confirmation']),
      );
    } finally {
      await fake.close();
    }
  });

  it("rollback --explain flags the model's advice when it reads like instructions", async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    expect((await runCli(['apply', 'staging', '--flake', h.flake.dir, '--yes'], { env: h.env })).code).toBe(0);
    const fake = await startFakeLlm([{ reply: { text: HOSTILE_ANSWER } }]);
    try {
      const env = { ...h.env, OPENAI_API_KEY: 'sk-test-not-a-real-key-000000', OPENAI_BASE_URL: fake.openaiBaseURL, CLAWDEPLOY_PROVIDER: 'openai' };
      const rb = await runCli(['rollback', 'staging', '--flake', h.flake.dir, '--yes', '--explain'], { env });
      expect(rb.code, printed(rb)).toBe(0);
      expect(rb.stdout).toMatch(/Advice \(openai [^)]+\):\nThe upgrade looks fine\./);
      expect(rb.stderr).toMatch(/^WARNING: The model's text contains instruction-like text\./m);
      expect(rb.stderr).toMatch(/^ {2}advice: run-command: /m);
    } finally {
      await fake.close();
    }
  });

  it('/propose shows the validated model plan and /apply takes it through the gates, storing the usage with the deployment', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const planned = JSON.parse((await runCli(['plan', 'staging', '--flake', h.flake.dir, '--json'], { env: h.env })).stdout) as {
      steps: Record<string, Array<{ action: string; args: Record<string, unknown> }>>;
    };
    const proposal = Object.fromEntries(Object.entries(planned.steps).map(([phase, steps]) => [phase, steps.map((st) => ({ action: st.action, args: st.args, reason: 'as planned' }))]));
    const fake = await startFakeLlm([
      { reply: { text: 'An upgrade to 2026.6.11.', usage: { inputTokens: 1000, outputTokens: 10 } } },
      { reply: { toolCalls: [{ name: 'propose_plan', arguments: proposal }], usage: { inputTokens: 1100, outputTokens: 300 } } },
    ]);
    try {
      const env = { ...h.env, OPENAI_API_KEY: 'sk-test-not-a-real-key-000000', OPENAI_BASE_URL: fake.openaiBaseURL };
      const r = await runCli(['chat', 'staging', '--flake', h.flake.dir, '--provider', 'openai'], { env, input: '/propose\n/apply\n/quit\n' });
      expect(r.code, printed(r)).toBe(0);
      expect(r.stdout).toMatch(/The model proposed this plan; it passed the catalog and the plan checks/);
      // No terminal to ask: the first change is not approved and nothing on the host changes.
      expect(r.stdout).toMatch(/nothing on the host changed/);
      const history = JSON.parse((await runCli(['history', '--json'], { env: h.env })).stdout) as Array<{ id: string; outcome: string }>;
      expect(history[0]!.outcome).toBe('refused');
      const { openRecords } = await import('../../src/core/records/index.js');
      const records = openRecords(join(h.stateDir, 'records.db'));
      try {
        expect(records.usageOf(history[0]!.id)).toMatchObject([{ provider: 'openai', calls: 2, inputTokens: 2100, outputTokens: 310 }]);
      } finally {
        records.close();
      }
    } finally {
      await fake.close();
    }
  });

  it('works offline without a key, and says so once', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const r = await runCli(['chat', 'staging', '--flake', h.flake.dir], { env: { ...h.env, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' }, input: 'what changes?\n/quit\n' });
    expect(r.code, printed(r)).toBe(0);
    expect(r.stderr.match(/offline planner/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/\(offline: no model\) what changes\?/);
  });
});
