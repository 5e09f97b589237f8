// No fixture secret reaches a rendered prompt: every template, rendered with the facts of real
// plans (F1, F3, F4, F4 blocked, F5 blocked on inline secrets) and with untrusted data that
// holds every fake secret and every secret file's contents. The redactor has no registered
// values here (the session cannot know the host's secrets): rules and the model-bound mask
// must be enough.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupFixtures, createOpenclawRepo, FAKE_SECRETS, materializeFlake, SECRET_FILES, stopGateway, tempDir, writeSecretFiles } from '../helpers/fixtures.js';
import { seedLocal } from '../../src/demo/seed.js';
import { runCli } from '../helpers/cli.js';
import { planFacts, renderFacts } from '../../src/core/assistant/facts.js';
import { answerRequest, explainRequest, incidentRequest, renderPrompt, systemPrompt } from '../../src/core/assistant/prompt.js';
import { wrapUntrusted } from '../../src/core/assistant/untrusted.js';
import { createRedactor } from '../../src/core/redact/index.js';
import type { UntrustedData } from '../../src/core/assistant/types.js';
import type { Plan } from '../../src/core/plan/schema.js';

const HM = 'homeConfigurations.staging.activationPackage';
const BASE = ['openclaw-gateway-token', 'anthropic', 'telegram-staging'];
const redact = createRedactor().redact;

/** Every secret value: the inline ones, each secret file, and each value inside the env file. */
const SECRETS = [...Object.values(FAKE_SECRETS), ...Object.values(SECRET_FILES).flatMap((v) => v.split('\n').map((l) => l.replace(/^[A-Z_]+=/, '').trim()))].filter((v) => v.length >= 8);

/** Data a session could pass on: log lines, the secret files, a flake with inline secrets, a config. */
function untrustedWithSecrets(flakeDir: string): UntrustedData[] {
  const lines = SECRETS.flatMap((s, i) => [
    `2026-11-24T05:15:2${i % 10}.000Z [gateway] token ${s}`,
    `2026-11-24T05:15:2${i % 10}.100Z [ws] auth header: Bearer ${s}`,
    `{"botToken": "${s}", "apiKey": "${s}"}`,
    s,
  ]);
  return [
    { source: '/tmp/openclaw/openclaw-gateway.log', text: lines.join('\n') },
    ...Object.entries(SECRET_FILES).map(([name, text]) => ({ source: `/run/agenix/${name}`, text })),
    { source: 'flake.nix', text: readFileSync(join(flakeDir, 'flake.nix'), 'utf8') },
  ];
}

let repo: string;
const homes: string[] = [];
const plans: Record<string, { plan: Plan; flakeDir: string }> = {};

async function planOf(name: string, fixture: string, seed: boolean, secrets: string[]): Promise<void> {
  const home = tempDir('home');
  homes.push(home);
  const flake = await materializeFlake(fixture, { openclawRepo: repo });
  writeSecretFiles(flake.vars['SECRETS_DIR']!, secrets);
  if (seed) await seedLocal({ flakeDir: flake.dir, rev: flake.baseRev, attribute: HM, profile: flake.vars['PROFILE_staging']!, env: { HOME: home } });
  const r = await runCli(['plan', 'staging', '--flake', flake.dir, '--json'], { env: { HOME: home } });
  expect([0, 3], r.stderr).toContain(r.code);
  plans[name] = { plan: JSON.parse(r.stdout) as Plan, flakeDir: flake.dir };
}

beforeAll(async () => {
  repo = (await createOpenclawRepo()).path;
  await planOf('F1', 'f1-single-staging', false, BASE);
  await planOf('F3', 'f3-bump-openclaw', true, BASE);
  await planOf('F4', 'f4-add-discord', true, [...BASE, 'discord-bot-token']);
  await planOf('F4 blocked', 'f4-add-discord', true, BASE);
  await planOf('F5', 'f5-inline-secret', false, BASE);
});
afterAll(async () => {
  for (const h of homes) await stopGateway(join(h, '.openclaw'));
  cleanupFixtures();
});

function expectNoSecret(text: string, where: string) {
  for (const s of SECRETS) {
    expect(text.includes(s), `${where} holds a secret`).toBe(false);
    // Nor a recognisable piece of one.
    expect(text.includes(s.slice(6, 22)), `${where} holds part of a secret`).toBe(false);
  }
}

describe('no fixture secret reaches a rendered prompt', () => {
  it('the plans are the real ones (F5 blocked on its inline secrets, F4 blocked on the missing file)', () => {
    expect(plans['F5']!.plan.findings.filter((f) => f.code === 'secret-inline')).toHaveLength(3);
    expect(plans['F4 blocked']!.plan.findings.some((f) => f.code === 'secret-file-missing')).toBe(true);
    // F5's working tree really holds the secrets the prompts must not.
    expect(readFileSync(join(plans['F5']!.flakeDir, 'flake.nix'), 'utf8')).toContain(FAKE_SECRETS.telegramBotToken);
  });

  it.each(['F1', 'F3', 'F4', 'F4 blocked', 'F5'])('%s: system, explain, answer and incident prompts', (name) => {
    const { plan, flakeDir } = plans[name]!;
    const data = untrustedWithSecrets(flakeDir);
    const wrapped = wrapUntrusted(data, redact, { maxTotalChars: 100_000, maxBlockChars: 50_000 });
    // The data really is in the prompt (wrapped), not dropped by the size limits.
    expect(wrapped.match(/<untrusted-data /g)).toHaveLength(data.length);
    const facts = planFacts(plan, redact);
    const withData = `${renderFacts(facts)}\nhost data:\n${wrapped}`;
    const question = `Is ${FAKE_SECRETS.gatewayToken} the right gateway token? And ${SECRET_FILES['discord-bot-token']}?`;
    const rendered = [
      systemPrompt(redact).text,
      explainRequest(facts, redact).user,
      renderPrompt('explain', { facts: withData }, redact).text,
      answerRequest(facts, question, redact).user,
      incidentRequest(
        {
          host: `staging ${FAKE_SECRETS.anthropicApiKey}`,
          generations: `1 ${plan.generations.current?.storePath ?? '-'}\n2 current ${SECRET_FILES['openclaw-gateway-token']}`,
          lastGood: `1 (token ${SECRET_FILES['telegram-staging']})`,
          diff: SECRETS.join('\n'),
          health: wrapped,
        },
        redact,
      ).user,
    ];
    for (const [i, text] of rendered.entries()) expectNoSecret(text, `${name} prompt ${i}`);
    // The plan's JSON itself never held them either, beyond the masked prefixes of F5's findings.
    expectNoSecret(JSON.stringify(facts), `${name} facts`);
  });
});
