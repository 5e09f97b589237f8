// The command line: parses arguments, calls the core, prints through the redactor.
// Heavy modules are imported inside each action so --help stays fast.
import { Command, CommanderError } from 'commander';
import { ExitCode, isUserError } from '../core/errors.js';
import { err } from './output.js';
import { oneLineParseErrors } from './parseErrors.js';
import { screenRedactor } from './redactor.js';
import { packageVersion } from '../core/paths.js';
import type { ApplyFlags, PlanFlags } from './commands/dispatch.js';

const program = new Command()
  .name('clawdeploy')
  .description('Plan, explain and safely deploy OpenClaw with Nix (nix-openclaw)')
  .version(packageVersion())
  .option('--ssh-config <file>', 'ssh config file for ssh:// targets (also CLAWDEPLOY_SSH_CONFIG)')
  .exitOverride();

program
  .command('hosts')
  .description('list the hosts of the flake inventory')
  .option('--flake <dir>', 'the flake directory', '.')
  .option('--json', 'print JSON')
  .option('--on <selector>', "only these hosts: comma-separated names, globs and @tags (e.g. 'eu-*,@canary')")
  .action(async (opts: { flake: string; json?: boolean; on?: string }) => (await import('./commands/hosts.js')).hostsCommand(opts));

program
  .command('plan')
  .description('analyse what a deploy to HOST would change and print the plan (read-only)')
  .argument('[host]', 'a host of the inventory (or --on SELECTOR)')
  .option('--flake <dir>', 'the flake directory', '.')
  .option('--base <rev>', 'compare against this git revision (default: last deployed, else HEAD)')
  .option('--json', 'print the plan as JSON')
  .option('--runbook <file.md>', 'also write a Markdown runbook and its JSON sidecar for review')
  .option('--explain', "add the model's plain-language explanation (offline: the templated one)")
  .option('--provider <name>', 'anthropic, openai or offline (with --explain)')
  .option('--model <id>', 'the model (with --explain)')
  .option('--base-url <url>', 'an OpenAI-compatible endpoint (with --explain)')
  .option('--goal <goal>', 'NixOS: switch (default), test, boot or dry-activate (default: the inventory goal)')
  .option('--build-on-target', "build in the host's store (deploy-rs's remoteBuild): no closure is copied from here")
  .option('--on <selector>', 'a fleet plan: every selected host, the waves, the gates (names, globs, @tags)')
  .option('--parallel <n>', 'with --on: hosts per wave (default 10)')
  .option('--canary <n>', 'with --on: hosts in the first wave (default: the hosts tagged canary, else 1)')
  .action(async (host: string | undefined, opts: PlanFlags) => (await import('./commands/dispatch.js')).planDispatch(host, opts, sshConfig()));

program
  .command('chat')
  .description('talk through a deploy of HOST: the plan, its explanation, questions, proposals, apply and rollback')
  .argument('[host]', 'a host of the inventory')
  .option('--flake <dir>', 'the flake directory', '.')
  .option('--provider <name>', 'anthropic, openai or offline (default: from the API keys set, else offline)')
  .option('--model <id>', 'the model')
  .option('--base-url <url>', 'an OpenAI-compatible endpoint (Ollama, llama.cpp, vLLM)')
  .option('--resume <id>', 'continue a saved conversation')
  .action(async (host: string | undefined, opts: { flake: string; provider?: string; model?: string; baseUrl?: string; resume?: string }) =>
    (await import('./commands/chat.js')).chatCommand(host, { ...opts, sshConfig: sshConfig() }),
  );

program
  .command('check')
  .description('the CI gate over all hosts: secrets, pins, inventory (read-only, no host contact)')
  .option('--flake <dir>', 'the flake directory', '.')
  .option('--json', 'print JSON')
  .action(async (opts: { flake: string; json?: boolean }) => (await import('./commands/check.js')).checkCommand(opts));

program
  .command('redact')
  .description('redact secrets from FILE (or stdin) to stdout, for sharing logs')
  .argument('[file]', 'input file (default: stdin)')
  .action(async (file?: string) => (await import('./commands/redact.js')).redactCommand(file));

program
  .command('apply')
  .description('plan, show, then apply to HOST step by step; validate; roll back on failure; record')
  .argument('[host]', 'a host of the inventory (optional with --runbook)')
  .option('--flake <dir>', 'the flake directory', '.')
  .option('--yes', 'pre-approve every step (staging hosts only)')
  .option('--runbook <file.json>', 'execute a reviewed runbook exactly as reviewed')
  .option('--resume [rollout]', 'after an interrupted deploy of HOST: plan again and apply; with a rollout id: continue that rollout')
  .option('--deadline <seconds>', 'validation deadline, counted from activation (default 150: a real gateway takes up to 60 s to be ready on 2 cores)')
  .option('--goal <goal>', 'NixOS: switch (default), test, boot or dry-activate (default: the inventory goal)')
  .option('--build-on-target', "build in the host's store (deploy-rs's remoteBuild): no closure is copied from here")
  .option('--on <selector>', 'a rollout over several hosts: names, globs and @tags, comma-separated (e.g. "eu-*,@canary")')
  .option('--parallel <n>', 'with --on: hosts per wave, deployed at once (default 10)')
  .option('--canary <n>', 'with --on: hosts in the first wave (default: the hosts tagged canary, else 1)')
  .option('--rollback-all', 'with --on: when a wave fails, roll back every wave, not only the failed one')
  .option('--skip-unreachable', 'with --on: leave out hosts that cannot be reached (recorded) instead of not starting')
  .option('--json', 'with --on: print the outcome of every host as JSON')
  .action(async (host: string | undefined, opts: ApplyFlags) => (await import('./commands/dispatch.js')).applyDispatch(host, opts, sshConfig()));

program
  .command('rollback')
  .description('guided rollback: generations, last known good, what changes, health; then switch and verify')
  .argument('<host>', 'a host of the inventory')
  .option('--flake <dir>', 'the flake directory', '.')
  .option('--to <generation>', 'the generation to return to (default: last known good, else the previous one)')
  .option('--yes', 'do not ask (staging hosts only)')
  .option('--explain', 'advice on the target before the switch: from the model, or offline from the proposal')
  .option('--provider <name>', 'anthropic, openai or offline (with --explain)')
  .option('--model <id>', 'the model (with --explain)')
  .option('--base-url <url>', 'an OpenAI-compatible endpoint (with --explain)')
  .action(async (host: string, opts: { flake: string; to?: string; yes?: boolean; explain?: boolean; provider?: string; model?: string; baseUrl?: string }) =>
    (await import('./commands/rollback.js')).rollbackCommand(host, { ...opts, sshConfig: sshConfig() }),
  );

program
  .command('drill')
  .description('rollback drill on a staging host: back, verify, forward, verify; recorded')
  .argument('<host>', 'a staging host of the inventory')
  .option('--flake <dir>', 'the flake directory', '.')
  .option('--yes', 'do not ask for each step')
  .option('--deadline <seconds>', 'validation deadline of each direction, counted from its activation (default 150)')
  .action(async (host: string, opts: { flake: string; yes?: boolean; deadline?: string }) => (await import('./commands/drill.js')).drillCommand(host, { ...opts, sshConfig: sshConfig() }));

program
  .command('smoke')
  .description('smoke test of gateway and channel readiness; non-zero exit on any failure')
  .argument('<host>', 'a host of the inventory')
  .option('--flake <dir>', 'the flake directory', '.')
  .option('--json', 'print JSON')
  .action(async (host: string, opts: { flake: string; json?: boolean }) => (await import('./commands/smoke.js')).smokeCommand(host, { ...opts, sshConfig: sshConfig() }));

program
  .command('history')
  .description('recorded deployments, rollbacks and drills')
  .argument('[host]', 'only this host')
  .option('--json', 'print JSON')
  .option('--limit <n>', 'how many', '20')
  .option('--rollouts', "only rollouts: each host's wave, outcome, generation before and after, and checks")
  .action(async (host: string | undefined, opts: { json?: boolean; limit?: string; rollouts?: boolean }) => (await import('./commands/history.js')).historyCommand(host, opts));

program
  .command('status')
  .description('current generation, last deploy, last drill, drift and interrupted deploys per host')
  .argument('[host]', 'only this host')
  .option('--flake <dir>', 'the flake directory', '.')
  .option('--json', 'print JSON')
  .action(async (host: string | undefined, opts: { flake: string; json?: boolean }) => (await import('./commands/status.js')).statusCommand(host, { ...opts, sshConfig: sshConfig() }));

program
  .command('runbook')
  .description('work with reviewed runbooks')
  .command('verify')
  .description('check a runbook against the catalog, the plan invariants, the policy and a fresh read-only plan, changing nothing (exit 0 valid, 3 invalid)')
  .argument('<file.json>', 'the JSON sidecar of a runbook')
  .action(async (file: string) => (await import('./commands/runbook.js')).runbookVerifyCommand(file, { sshConfig: sshConfig() }));

program
  .command('demo')
  .description('run the whole loop (plan, apply, smoke, drill, history) on the bundled example against a local host it creates')
  .option('--dir <dir>', 'where to create the example (default: a fresh temp dir)')
  .option('--real', 'run the loop on the real OpenClaw 2026.9.6 gateway (installed into a cache on first use; takes a few minutes)')
  .action(async (opts: { dir?: string; real?: boolean }) => (await import('./commands/demo.js')).demoCommand(opts));

oneLineParseErrors(program);

function sshConfig(): string | undefined {
  return (program.opts() as { sshConfig?: string }).sshConfig ?? process.env['CLAWDEPLOY_SSH_CONFIG'];
}

/** A reader that stopped early (`clawdeploy redact big.log | head`): not an error of ours. */
const isClosedPipe = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code === 'EPIPE';
process.stdout.on('error', (e) => {
  if (isClosedPipe(e)) process.exit(process.exitCode ?? 0);
  throw e;
});

// Registered secret values must load before anything is printed; an error about them names
// the variable or the file and line, never a value, so it is written as is.
try {
  screenRedactor();
} catch (e) {
  process.stderr.write(`clawdeploy: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(isUserError(e) ? e.exitCode : ExitCode.failed);
}

// Not top-level await: the CLI is bundled as CommonJS (see .ci/build.mjs).
async function run(): Promise<void> {
  try {
    // No subcommand in a terminal: the interactive session with the host picker (flake: the cwd).
    if (process.argv.length === 2 && process.stdout.isTTY && process.stdin.isTTY) process.exitCode = await (await (await import('./loadUi.js')).loadUi()).runUi({ flake: '.', sshConfig: sshConfig() });
    else await program.parseAsync(process.argv);
  } catch (e) {
    if (isClosedPipe(e)) {
      process.exitCode ??= 0;
    } else if (e instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; every other parse error is bad input.
      process.exitCode = e.exitCode === 0 ? 0 : ExitCode.badInput;
    } else if (isUserError(e)) {
      err(`clawdeploy: ${e.message}`);
      process.exitCode = e.exitCode;
    } else {
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      err(`clawdeploy: internal error: ${message}${process.env['CLAWDEPLOY_DEBUG'] ? `\n${(e as Error).stack ?? ''}` : ' (set CLAWDEPLOY_DEBUG=1 for details)'}`);
      process.exitCode = ExitCode.failed;
    }
  }
}

void run();
