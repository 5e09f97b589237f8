// Tokens sent to a model to explain a plan, ours against a naive prompt. Ours: the system
// prompt (rules + catalog) and the explain prompt with the compact facts. Naive: the same
// system prompt and instructions with the whole flake.nix, flake.lock and the last 200 lines
// of the gateway log pasted in. Counted with gpt-tokenizer (o200k_base). Target: ours <= 15%.
// Run: npx tsx bench/tokens.ts (builds and activates the base generation of F3 and F4 locally);
// SHOW_LOG=1 prints the gateway logs used.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'gpt-tokenizer';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, stopGateway, tempDir, writeSecretFiles } from '../src/demo/fixtures.js';
import { seedLocal } from '../src/demo/seed.js';
import { runCli } from '../test/helpers/cli.js';
import { createRedactor } from '../src/core/redact/index.js';
import { planFacts } from '../src/core/assistant/facts.js';
import { explainRequest, renderPrompt } from '../src/core/assistant/prompt.js';
import type { Plan } from '../src/core/plan/schema.js';

const HM = 'homeConfigurations.staging.activationPackage';
const STAND_IN_LOG = '/tmp/openclaw/openclaw-gateway.log';
const BASE_SECRETS = ['openclaw-gateway-token', 'anthropic', 'telegram-staging'];
const tokens = (s: string) => encode(s).length;

// A small seeded PRNG: the same log every run.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 200 lines of a gateway log: the stand-in's own lines for this host's start, then the
 * traffic that follows in upstream's format ([ws], [diagnostic], [agent/embedded], channel lines) from
 * operators on the Control UI and users writing to the channels.
 */
function gatewayLog(home: string, channels: string[], lines = 200): string {
  const own = readFileSync(STAND_IN_LOG, 'utf8')
    .split('\n')
    .filter((l) => l.includes(home));
  const r = rng(42);
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const conn = () => `${hex(8)}…${hex(4)}`;
  let t = Date.parse(own.at(-1)?.slice(0, 24) ?? '2026-11-24T05:15:19.039Z');
  let seq = 40;
  const out = [...own];
  const at = (tag: string, msg: string) => {
    t += Math.floor(r() * 4000);
    out.push(`${new Date(t).toISOString()} [${tag}] ${msg}`);
  };
  const methods = ['health', 'status', 'channels.status', 'sessions.list', 'chat.history', 'agent.identity.get', 'agents.list', 'config.get', 'last-heartbeat'];
  while (out.length < lines) {
    const kind = r();
    if (kind < 0.4) {
      at('ws', `⇄ res ✓ ${pick(methods)} ${Math.floor(r() * 40)}ms conn=${conn()} id=${conn()}`);
    } else if (kind < 0.7) {
      at('ws', `→ event ${pick(['health', 'presence', 'tick'])} seq=${seq++} clients=${1 + Math.floor(r() * 2)} presenceVersion=${seq >> 2} healthVersion=${seq >> 1}`);
    } else if (kind < 0.78) {
      const c = uuid();
      at('ws', `← open remoteAddr=127.0.0.1 conn=${c.slice(0, 8)}…${c.slice(-4)}`);
      at('ws', `← connect client=openclaw-control-ui version=2026.6.11 mode=webchat clientId=openclaw-control-ui platform=Linux x86_64 auth=token`);
      at('ws', `webchat connected conn=${c} remote=127.0.0.1 client=openclaw-control-ui webchat v2026.6.11`);
      at('ws', `→ hello-ok methods=91 events=19 presence=2 stateVersion=${seq}`);
    } else {
      const ch = pick(channels);
      const run = uuid();
      const session = uuid();
      const lane = `session:agent:main:${ch}:dm:${ch === 'telegram' ? '12345678' : '1000000000000000000'}`;
      at(`${ch}`, `inbound message from=${ch === 'telegram' ? '12345678' : '1000000000000000000'} chars=${20 + Math.floor(r() * 300)}`);
      at('diagnostic', `lane enqueue: lane=${lane} queueSize=1`);
      at('diagnostic', `lane dequeue: lane=${lane} waitMs=${Math.floor(r() * 20)} queueSize=0`);
      at('agent/embedded', `embedded run start: runId=${run} sessionId=${session} provider=anthropic model=claude-sonnet-4-5 thinking=low messageChannel=${ch}`);
      if (r() < 0.5) {
        const tool = pick(['web_fetch', 'read', 'exec', 'memory_search']);
        const id = `toolu_${hex(24)}`;
        at('agent/embedded', `embedded run tool start: runId=${run} tool=${tool} toolCallId=${id}`);
        at('agent/embedded', `embedded run tool end: runId=${run} tool=${tool} toolCallId=${id} durationMs=${Math.floor(r() * 3000)}`);
      }
      at('agent/embedded', `embedded run done: runId=${run} sessionId=${session} durationMs=${2000 + Math.floor(r() * 20000)} aborted=false`);
      at(`${ch}`, `sendMessage ok chat=${ch === 'telegram' ? '12345678' : '1000000000000000000'} messageId=${1000 + Math.floor(r() * 9000)}`);
      at('diagnostic', `lane task done: lane=${lane} durationMs=${2000 + Math.floor(r() * 20000)} active=0 queued=0`);
    }
  }
  return out.slice(0, lines).join('\n');
}

/** The facts the explanation needs, checked by content (the tests assert the same on F3 and F4). */
function factsPresent(plan: Plan, text: string, fixture: string): string[] {
  const cur = plan.generations.current!;
  const want = [`$CUR=${cur.storePath} (generation ${cur.number}, current)`, `generation=${cur.number} storePath=$CUR`, 'gateway-status', 'channels-probe', 'runtime state under ~/.openclaw'];
  if (fixture.startsWith('f3')) want.push('openclaw: 2026.6.10 → 2026.6.11', 'release tag v2026.6.10 → v2026.6.11', 'channels=telegram');
  else want.push('channel discord: added; runtime plugin discord added', 'channels=discord,telegram');
  if (plan.flake.target.dirty) want.push('working tree DIRTY');
  return want.filter((w) => !text.includes(w));
}

const repo = await createOpenclawRepo();
const homes: string[] = [];
const redactor = createRedactor({ env: process.env });
const rows: string[][] = [];
try {
  for (const [label, fixture, secrets, channels] of [
    ['F3 upgrade', 'f3-bump-openclaw', BASE_SECRETS, ['telegram']],
    ['F4 discord', 'f4-add-discord', [...BASE_SECRETS, 'discord-bot-token'], ['discord', 'telegram']],
  ] as const) {
    const home = tempDir('home');
    homes.push(home);
    const flake = await materializeFlake(fixture, { openclawRepo: repo.path });
    writeSecretFiles(flake.vars['SECRETS_DIR']!, [...secrets]);
    await seedLocal({ flakeDir: flake.dir, rev: flake.baseRev, attribute: HM, profile: flake.vars['PROFILE_staging']!, env: { HOME: home } });
    const r = await runCli(['plan', 'staging', '--flake', flake.dir, '--json'], { env: { HOME: home } });
    if (r.code !== 0) throw new Error(`plan ${fixture} exited ${r.code}: ${r.stderr}`);
    const plan = JSON.parse(r.stdout) as Plan;

    const req = explainRequest(planFacts(plan, redactor.redact), redactor.redact);
    const log = gatewayLog(home, [...channels]);
    if (process.env['SHOW_LOG']) console.log(log);
    const files = [`flake.nix:\n${readFileSync(join(flake.dir, 'flake.nix'), 'utf8')}`, `flake.lock:\n${readFileSync(join(flake.dir, 'flake.lock'), 'utf8')}`].join('\n\n');
    const pasted = `${files}\n\ngateway log (last 200 lines of ${STAND_IN_LOG}):\n${log}`;
    const naiveUser = renderPrompt('explain', { facts: pasted }, (s) => s).text;
    const system = tokens(req.system);
    const ours = system + tokens(req.user);
    const naive = system + tokens(naiveUser);
    const missing = factsPresent(plan, req.user, fixture);
    const logLines = log.split('\n');
    rows.push([
      label,
      String(system),
      String(ours - system),
      String(ours),
      String(naive),
      String(tokens(files)),
      `${tokens(log)} (${(tokens(log) / logLines.length).toFixed(1)}/line)`,
      `${((100 * ours) / naive).toFixed(1)}%`,
      missing.length ? `MISSING ${missing.join(', ')}` : 'all present',
    ]);
  }
} finally {
  for (const h of homes) await stopGateway(join(h, '.openclaw'));
  cleanupFixtures();
}

const head = ['plan', 'system', 'explain+facts', 'ours', 'naive', 'of it: flake+lock', 'log', 'ours/naive', 'facts'];
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('  ');
console.log('tokens sent to explain a plan (gpt-tokenizer o200k_base)');
console.log(line(head));
for (const r of rows) console.log(line(r));
const worst = Math.max(...rows.map((r) => Number.parseFloat(r[7]!)));
console.log(`worst ratio ${worst.toFixed(1)}% (target <= 15%): ${worst <= 15 ? 'PASS' : 'FAIL'}`);
