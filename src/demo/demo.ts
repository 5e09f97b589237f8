// The bundled example: an OpenClaw upgrade (2026.6.10 -> 2026.6.11, flake F3) planned against a
// local host that the demo creates first by deploying the current version (F1) to it. Everything
// lives under one directory; no API key, no network, no server of the user's.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createOpenclawRepo, materializeFlake, setFixturesRoot, writeSecretFiles } from './fixtures.js';
import { seedLocal } from './seed.js';
import { planHost } from '../core/pipeline/planHost.js';
import { runbookJson, runbookMarkdown } from '../core/plan/runbook.js';
import type { Plan } from '../core/plan/schema.js';
import { UserError } from '../core/errors.js';

export interface DemoResult {
  dir: string;
  flakeDir: string;
  runbookPath: string;
  plan: Plan;
  markdown: string;
}

export interface DemoOptions {
  dir?: string;
  redact: (s: string) => string;
  log: (line: string) => void;
}

/** Stops the demo host's gateway (its pidfile is in the demo's HOME). */
export function stopDemoGateway(home: string): void {
  try {
    const pid = Number(readFileSync(join(home, '.openclaw', 'gateway.pid'), 'utf8').trim());
    if (pid > 0) process.kill(pid, 'SIGTERM');
  } catch {
    // not running: nothing to stop
  }
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const dir = resolve(opts.dir ?? mkdtempSync(join(tmpdir(), 'clawdeploy-demo-')));
  setFixturesRoot(dir);
  const home = join(dir, 'home');
  const secrets = join(dir, 'secrets');
  mkdirSync(home, { recursive: true });

  opts.log(`1. a stand-in nix-openclaw with releases v2026.6.10 and v2026.6.11 (${dir})`);
  const repo = await createOpenclawRepo();
  writeSecretFiles(secrets, ['openclaw-gateway-token', 'anthropic', 'telegram-staging']);
  const profile = join(dir, 'profiles', 'home-manager');
  mkdirSync(join(dir, 'profiles'), { recursive: true });
  const flake = await materializeFlake('f3-bump-openclaw', { openclawRepo: repo.path, vars: { SECRETS_DIR: secrets, PROFILE_staging: profile } });

  opts.log('2. the local host "staging": deploy OpenClaw 2026.6.10 (the flake at HEAD) to it');
  try {
    await seedLocal({ flakeDir: flake.dir, rev: flake.baseRev, attribute: 'homeConfigurations.staging.activationPackage', profile, env: { HOME: home } });
  } catch (e) {
    throw new UserError(`demo: could not create the local host: ${(e as Error).message.split('\n')[0]}`);
  }

  opts.log('3. the change: flake.lock bumps nix-openclaw to v2026.6.11 (uncommitted, as you would have it before a deploy)');
  opts.log('4. clawdeploy plan staging (read-only)');
  // The local host is the demo's HOME, never the user's own ~/.openclaw.
  const userHome = process.env['HOME'];
  process.env['HOME'] = home;
  try {
    const plan = await planHost({ flakeDir: flake.dir, hostName: 'staging', redact: opts.redact });
    const markdown = opts.redact(runbookMarkdown(plan, flake.dir));
    const runbookPath = join(dir, 'runbook.md');
    writeFileSync(runbookPath, markdown);
    writeFileSync(join(dir, 'runbook.json'), opts.redact(runbookJson(plan, flake.dir)));
    return { dir, flakeDir: flake.dir, runbookPath, plan, markdown };
  } finally {
    if (userHome === undefined) delete process.env['HOME'];
    else process.env['HOME'] = userHome;
    stopDemoGateway(home);
  }
}
