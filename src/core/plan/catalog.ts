// The typed action catalog: every step a plan (or a model) may propose is one of these.
// Each action is declared once: a zod schema for its arguments, where it runs, its risk
// class, what it is for (its effect, and for checks their parser: the flow asks these through
// plan/behaviour.ts, never the id), and the argv builder. Nothing here runs anything or builds a
// shell string.
import { z } from 'zod';
import type { Goal, Host } from '../inventory/schema.js';
import type { Risk } from './schema.js';
import { NIX_FEATURES } from '../nix/command.js';
import { targetBuildArgs } from '../nix/remoteBuild.js';
import { renderedConfigIn } from '../preflight/layout.js';
import { hostKind } from '../hostKinds/index.js';
import { pathsProblem, type PathArg } from './pathScope.js';
import { asProfileUser } from './runAs.js';

export { hostStateDir } from './pathScope.js';

/** A store path: /nix/store/<32 chars of Nix's base32>-<name>. */
export const StorePath = z.string().regex(/^\/nix\/store\/[0-9abcdfghijklmnpqrsvwxyz]{32}-[A-Za-z0-9+._?=-]+$/, 'must be /nix/store/<hash>-<name>');
/** A plain value: never empty, never an option (a leading "-"), bounded, no control characters. */
const Plain = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[^-\x00-\x1f\x7f]/, 'must not start with "-" or a control character')
  .regex(/^[^\x00-\x1f\x7f]*$/, 'must not contain control characters');
const AbsPath = Plain.regex(/^\/[A-Za-z0-9._/+@=~-]*$/, 'must be an absolute path of plain characters').refine((p) => !p.split('/').includes('..'), 'must not contain ".."');
const Port = z.number().int().min(1).max(65535);
const UrlPath = z.string().regex(/^\/[A-Za-z0-9._~/-]{0,200}$/, 'must be a URL path like /readyz');
const Attribute = Plain.regex(/^[A-Za-z0-9_'"-]+(?:\.[A-Za-z0-9_'"-]+)*$/, 'must be a flake attribute path');
const Unit = Plain.regex(/^[A-Za-z0-9@._-]+$/, 'must be a systemd unit name');

export interface ActionContext {
  host: Host;
  /** The store URL of the host for `nix copy` (null for a local host). */
  storeUrl: string | null;
  flakeDir: string;
}

/**
 * What an action is for: 'reads' changes nothing; 'prepares' builds or copies a generation that
 * nothing runs yet; 'switches-profile' points the profile at another generation; 'activates' runs
 * the generation the profile points at; 'bookkeeping' is clawdeploy's own files on the host (lock,
 * record, watchdog), which the flow runs itself and a person does not review as a step.
 */
export type Effect = 'reads' | 'prepares' | 'switches-profile' | 'activates' | 'bookkeeping';

/** The parsers of check output (exec/checks.ts): the gateway's status or health answer, curl's, the channel probe's, systemd's. */
export type CheckParser = 'status' | 'health' | 'http' | 'channels' | 'unit';

export interface ActionSpec<S extends z.ZodType = z.ZodType> {
  id: string;
  title: string;
  on: 'local' | 'host';
  risk: Risk;
  /** What the step is for; the deploy flow asks this (plan/behaviour.ts), never the id. */
  effect: Effect;
  /** A validation check: the parser (exec/checks.ts) that turns its output into a CheckResult. */
  parser?: CheckParser;
  /** A check that costs one request: validation polls it every 150 ms once the gateway answers. */
  cheap?: boolean;
  /** Runs over a new connection, never the shared one: the watchdog confirm proves a new login still works. */
  freshConnection?: boolean;
  /**
   * Runs as the profile's owner (through the host's `sudo` when that is not the ssh user): it
   * changes or activates the profile, or touches clawdeploy's files beside it.
   */
  asProfileUser?: boolean;
  /** The argument sent on the command's stdin (bounded by its schema), never in the argv. */
  stdin?: keyof z.infer<S> & string;
  /** How a person reads the step in the step list and the health table (default: its id); args may be unvalidated. */
  label?(args: Partial<z.infer<S>>): string;
  timeoutMs: number;
  args: S;
  argv(args: z.infer<S>, ctx: ActionContext): string[];
  /**
   * The scope each path argument must be in (plan/pathScope.ts), as data: validateAction refuses
   * a path outside it, and the executor checks again before anything runs.
   */
  paths?: Readonly<Partial<Record<keyof z.infer<S> & string, PathArg>>>;
  /** Extra checks that need the host (e.g. a profile must be the host's declared one). */
  check?(args: z.infer<S>, ctx: ActionContext): string | null;
  /**
   * A gateway RPC instead of a command: what runs is this call, spoken by clawdeploy over a
   * stream to the host's loopback (exec/gatewayCall.ts); `argv` is then only what a person reads.
   */
  rpc?(args: z.infer<S>, ctx: ActionContext): GatewayCall;
}

/** One gateway RPC: the method and its params, on the gateway's port of the host's loopback. */
export interface GatewayCall {
  port: number;
  method: string;
  params: Record<string, unknown>;
}

/** The first word of the argv shown for a gateway RPC (plan/display.ts reads it). */
export const RPC_ARGV0 = 'openclaw-rpc';

/**
 * What a gateway RPC step shows and records: the call, and where its token comes from on the
 * host (the declared secret, read by TOKEN_LOADER_SCRIPT; the value never appears anywhere).
 */
export function gatewayRpcArgv(host: Host, call: GatewayCall): string[] {
  const t = host.gateway.token;
  return [RPC_ARGV0, call.method, '--url', `ws://127.0.0.1:${call.port}`, '--params', JSON.stringify(call.params), ...(t ? ['--auth-from', t.env, t.format, ...t.files] : [])];
}

/** The activation argv of a generation in the profile, by host kind. */
export function activationArgv(host: Host, profile: string, goal?: Goal): string[] {
  return hostKind(host.kind).activateArgv(profile, host, goal);
}

/** Goals that run the generation (dry-activate only reads): what `activate` may be asked for. */
const ActivationGoal = z.enum(['switch', 'test', 'boot']);

/** Null when the host's kind deploys with `goal`; else why not (only NixOS has more than switch). */
export function goalProblem(host: Host, goal: Goal | undefined): string | null {
  const kind = hostKind(host.kind);
  return !goal || kind.goals.includes(goal) ? null : `goal ${goal} needs a NixOS host; ${host.name} is ${kind.label} (it only switches)`;
}

/**
 * The watchdog run on the host before an ssh activation (deploy-rs's magic rollback): unless
 * clawdeploy deletes the canary over a fresh connection within the timeout, it switches the
 * profile back and re-activates. A constant script: every value reaches it as a positional
 * argument, never inside the script text. When it fires it leaves `watchdog-fired` beside the
 * canary (the canary's text, then `fired <time>`, then `done <exit> <time>`), so the next
 * clawdeploy reports the revert.
 */
export const WATCHDOG_SCRIPT = [
  // Let go of the ssh session's pipes at once, or the arming command would wait for the watchdog.
  'exec </dev/null >/dev/null 2>&1',
  'canary=$1; seconds=$2; profile=$3; generation=$4; shift 4',
  '[ -e "$canary" ] || exit 1',
  // By the host's clock, so the time clawdeploy announces holds on a busy host too.
  'end=$(($(date +%s) + seconds))',
  'while [ "$(date +%s)" -lt "$end" ]; do [ -e "$canary" ] || exit 0; sleep 1; done',
  // Renaming is atomic: the confirm's rm and the revert cannot both win.
  'fired="${canary%/*}/watchdog-fired"',
  'mv -f "$canary" "$fired" || exit 0',
  'echo "fired $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$fired"',
  'nix-env --profile "$profile" --switch-generation "$generation" && "$@"',
  's=$?; echo "done $s $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$fired"',
].join('\n');

/** The openclaw program inside the profile, by host kind (the layout of its generations). */
export function openclawProgram(host: Host): string {
  return hostKind(host.kind).openclawBinIn(host.profile);
}

/**
 * Loads the gateway token on the host for a CLI check, the way the gateway gets it: from the
 * declared secret file (Home Manager `environment`: the file holds the value, minus a leading
 * NAME=) or systemd environment files (NAME=value lines). The value stays on the host: it is
 * exported to the CLI's environment only, never in an argv or an output. A constant script:
 * every value reaches it as a positional argument.
 */
export const TOKEN_LOADER_SCRIPT = [
  'name=$1; format=$2; shift 2; v=',
  'while [ "$#" -gt 0 ] && [ "$1" != -- ]; do',
  '  f=$1; shift',
  '  { [ -n "$v" ] || [ ! -r "$f" ]; } && continue',
  '  if [ "$format" = envfile ]; then',
  '    v=$(sed -n "s/^[[:space:]]*\\(export[[:space:]]\\{1,\\}\\)\\{0,1\\}$name=//p" "$f" | tail -n 1)',
  '    for q in \'"\' "\'"; do v=${v#"$q"}; v=${v%"$q"}; done',
  '  else',
  '    v=$(cat "$f"); v=${v#"$name="}',
  '  fi',
  'done',
  'shift',
  // The config's SecretRef names the variable; `gateway call` only looks at OPENCLAW_GATEWAY_TOKEN.
  '[ -n "$v" ] && export "$name=$v" "OPENCLAW_GATEWAY_TOKEN=$v"',
  'exec "$@"',
].join('\n');

/**
 * The argv of an `openclaw` CLI check. The CLI finds its gateway and its token in the config it
 * loads: it is given the rendered config of the generation the profile points at (the one being
 * validated), the port through OPENCLAW_GATEWAY_PORT (`channels status` has no --port) and, when
 * the config takes the token from the environment, the declared secret that holds it.
 */
export function openclawCliArgv(host: Host, port: number | null, args: string[]): string[] {
  // Without a port the CLI takes the one of the config it is given (the generation's own).
  const cli = [
    'env',
    `OPENCLAW_CONFIG_PATH=${renderedConfigIn(host, host.profile)}`,
    ...(port !== null ? [`OPENCLAW_GATEWAY_PORT=${port}`] : []),
    'OPENCLAW_NIX_MODE=1',
    openclawProgram(host),
    ...args,
  ];
  const token = host.gateway.token;
  return token ? ['sh', '-c', TOKEN_LOADER_SCRIPT, 'clawdeploy-openclaw', token.env, token.format, ...token.files, '--', ...cli] : cli;
}

/**
 * How long the CLI itself waits for its gateway (its --timeout; the process gets more). A real
 * gateway that is still starting on a loaded 2-core host took over 10 s to answer one RPC.
 */
export const CLI_TIMEOUT_MS = 30_000;

/** How long the gateway gives each channel's own probe (the CLI's default for --probe). */
export const PROBE_TIMEOUT_MS = 10_000;

function define<S extends z.ZodType>(spec: ActionSpec<S>): ActionSpec<S> {
  return spec;
}

const ProfileArgs = z.object({ profile: AbsPath }).strict();
const GatewayArgs = z.object({ port: Port }).strict();

export const ACTIONS = {
  build: define({
    id: 'build',
    title: 'Build the generation locally',
    on: 'local',
    risk: 'read',
    effect: 'prepares',
    timeoutMs: 1_800_000,
    args: z.object({ attribute: Attribute }).strict(),
    argv: (a, ctx) => ['nix', ...NIX_FEATURES, 'build', '--no-link', '--json', `${ctx.flakeDir}#${a.attribute}`],
  }),
  // deploy-rs's remoteBuild: evaluated here, built in the host's store; no closure leaves this machine.
  'build-on-target': define({
    id: 'build-on-target',
    title: 'Build the generation on the host',
    on: 'local',
    risk: 'mutate',
    effect: 'prepares',
    timeoutMs: 1_800_000,
    args: z.object({ attribute: Attribute }).strict(),
    argv: (a, ctx) => ['nix', ...NIX_FEATURES, ...targetBuildArgs(ctx.storeUrl ?? 'local', ctx.flakeDir, a.attribute)],
    check: (_a, ctx) => (ctx.storeUrl ? null : `host '${ctx.host.name}' is local: it builds here`),
  }),
  'copy-closure': define({
    id: 'copy-closure',
    title: 'Copy the closure to the host',
    on: 'local',
    risk: 'mutate',
    effect: 'prepares',
    timeoutMs: 1_800_000,
    args: z.object({ storePath: StorePath }).strict(),
    paths: { storePath: { scope: 'store' } },
    argv: (a, ctx) => ['nix', ...NIX_FEATURES, 'copy', '--to', ctx.storeUrl ?? 'local', a.storePath],
    check: (_a, ctx) => (ctx.storeUrl ? null : `host '${ctx.host.name}' is local: there is nothing to copy`),
  }),
  'set-profile': define({
    id: 'set-profile',
    asProfileUser: true,
    title: 'Point the profile at the new generation',
    on: 'host',
    risk: 'mutate',
    effect: 'switches-profile',
    timeoutMs: 60_000,
    args: z.object({ profile: AbsPath, storePath: StorePath }).strict(),
    paths: { profile: { scope: 'profile' }, storePath: { scope: 'store' } },
    argv: (a) => ['nix-env', '--profile', a.profile, '--set', a.storePath],
  }),
  activate: define({
    id: 'activate',
    asProfileUser: true,
    title: 'Activate the generation (restarts the gateway)',
    on: 'host',
    risk: 'mutate',
    effect: 'activates',
    timeoutMs: 300_000,
    // goal: switch-to-configuration's verb (absent: switch); `boot` restarts nothing until a reboot.
    args: z.object({ profile: AbsPath, goal: ActivationGoal.optional() }).strict(),
    paths: { profile: { scope: 'profile' } },
    argv: (a, ctx) => activationArgv(ctx.host, a.profile, a.goal),
    check: (a, ctx) => goalProblem(ctx.host, a.goal),
  }),
  // NixOS's `test`: the build runs from its store path; the profile (the boot default) is not touched.
  'activate-test': define({
    id: 'activate-test',
    asProfileUser: true,
    title: 'Activate the new build without making it the boot default (restarts the gateway)',
    on: 'host',
    risk: 'mutate',
    effect: 'activates',
    timeoutMs: 300_000,
    args: z.object({ storePath: StorePath }).strict(),
    paths: { storePath: { scope: 'store' } },
    argv: (a, ctx) => activationArgv(ctx.host, a.storePath, 'test'),
    check: (_a, ctx) => goalProblem(ctx.host, 'test'),
  }),
  // Reports the units activating the build would stop, restart and start; changes nothing.
  'dry-activate': define({
    id: 'dry-activate',
    asProfileUser: true,
    title: 'What activating the new build would restart (changes nothing)',
    on: 'host',
    risk: 'read',
    effect: 'reads',
    timeoutMs: 120_000,
    args: z.object({ storePath: StorePath }).strict(),
    paths: { storePath: { scope: 'store' } },
    argv: (a, ctx) => activationArgv(ctx.host, a.storePath, 'dry-activate'),
    check: (_a, ctx) => goalProblem(ctx.host, 'dry-activate'),
  }),
  'switch-generation': define({
    id: 'switch-generation',
    asProfileUser: true,
    title: 'Switch the profile to a generation',
    on: 'host',
    risk: 'destructive',
    effect: 'switches-profile',
    timeoutMs: 60_000,
    args: z.object({ profile: AbsPath, generation: z.number().int().positive(), storePath: StorePath }).strict(),
    paths: { profile: { scope: 'profile' }, storePath: { scope: 'store' } },
    argv: (a) => ['nix-env', '--profile', a.profile, '--switch-generation', String(a.generation)],
  }),
  'list-generations': define({
    id: 'list-generations',
    asProfileUser: true,
    title: 'List the profile generations',
    on: 'host',
    risk: 'read',
    effect: 'reads',
    timeoutMs: 30_000,
    args: ProfileArgs,
    paths: { profile: { scope: 'profile' } },
    argv: (a) => ['nix-env', '--profile', a.profile, '--list-generations'],
  }),
  'diff-closures': define({
    id: 'diff-closures',
    title: 'Diff two closures',
    on: 'local',
    risk: 'read',
    effect: 'reads',
    timeoutMs: 120_000,
    args: z.object({ from: StorePath, to: StorePath }).strict(),
    paths: { from: { scope: 'store' }, to: { scope: 'store' } },
    argv: (a) => ['nix', ...NIX_FEATURES, 'store', 'diff-closures', a.from, a.to],
  }),
  'service-status': define({
    id: 'service-status',
    asProfileUser: true,
    title: 'Is the gateway unit active',
    on: 'host',
    risk: 'read',
    effect: 'reads',
    parser: 'unit',
    cheap: true,
    timeoutMs: 15_000,
    args: z.object({ unit: Unit, scope: z.enum(['user', 'system']) }).strict(),
    argv: (a) => ['systemctl', ...(a.scope === 'user' ? ['--user'] : []), 'is-active', a.unit],
  }),
  // The gateway's own RPC, as `gateway call status`, `gateway health` and `channels status --probe`
  // make it, without their 3-20 s Node process per call on 2 cores (measured on 2026.9.6): the
  // verdict follows /readyz within a poll instead of a CLI run.
  'gateway-status': define({
    id: 'gateway-status',
    asProfileUser: true,
    title: 'Gateway status over RPC',
    on: 'host',
    risk: 'read',
    effect: 'reads',
    parser: 'status',
    cheap: true,
    timeoutMs: 30_000,
    args: GatewayArgs,
    rpc: (a) => ({ port: a.port, method: 'status', params: {} }),
    argv: (a, ctx) => gatewayRpcArgv(ctx.host, { port: a.port, method: 'status', params: {} }),
  }),
  'gateway-health': define({
    id: 'gateway-health',
    asProfileUser: true,
    title: 'Gateway health over RPC',
    on: 'host',
    risk: 'read',
    effect: 'reads',
    parser: 'health',
    cheap: true,
    timeoutMs: 30_000,
    args: GatewayArgs,
    rpc: (a) => ({ port: a.port, method: 'health', params: {} }),
    argv: (a, ctx) => gatewayRpcArgv(ctx.host, { port: a.port, method: 'health', params: {} }),
  }),
  'channels-probe': define({
    id: 'channels-probe',
    asProfileUser: true,
    title: 'Probe every channel over RPC',
    on: 'host',
    risk: 'read',
    effect: 'reads',
    parser: 'channels',
    // Each run makes the gateway call every channel's API: rerun only when it failed, a period apart.
    cheap: false,
    timeoutMs: 30_000,
    args: z.object({ port: Port, channels: z.array(z.string().regex(/^[a-z0-9_-]+$/)).max(64) }).strict(),
    // The gateway probes each channel's API (Telegram's getMe) within timeoutMs, as the CLI's --probe.
    rpc: (a) => ({ port: a.port, method: 'channels.status', params: { probe: true, timeoutMs: PROBE_TIMEOUT_MS } }),
    argv: (a, ctx) => gatewayRpcArgv(ctx.host, { port: a.port, method: 'channels.status', params: { probe: true, timeoutMs: PROBE_TIMEOUT_MS } }),
  }),
  'http-check': define({
    id: 'http-check',
    title: 'HTTP check on the gateway port',
    on: 'host',
    risk: 'read',
    effect: 'reads',
    parser: 'http',
    cheap: true,
    label: (a) => `http ${a.path ?? ''}`,
    timeoutMs: 10_000,
    args: z.object({ port: Port, path: UrlPath }).strict(),
    // Not -f: a 503 from /readyz names what is not ready in its body; the status code comes last.
    argv: (a) => ['curl', '-sS', '--max-time', '5', '-w', '\\n%{http_code}', `http://127.0.0.1:${a.port}${a.path}`],
  }),
  'secret-present': define({
    id: 'secret-present',
    asProfileUser: true,
    title: 'A secret file is readable (never read)',
    on: 'host',
    risk: 'read',
    effect: 'reads',
    timeoutMs: 10_000,
    args: z.object({ path: AbsPath }).strict(),
    // Only the secrets the host's config references: `test -r` on any other path probes the host.
    paths: { path: { scope: 'declared-secret' } },
    argv: (a) => ['test', '-r', a.path],
  }),
  'log-tail': define({
    id: 'log-tail',
    asProfileUser: true,
    title: 'The last lines of the gateway log',
    on: 'host',
    risk: 'read',
    effect: 'reads',
    timeoutMs: 10_000,
    args: z.object({ path: AbsPath, lines: z.number().int().min(1).max(500) }).strict(),
    // Its output reaches the screen, the records and a model: only the gateway's own log.
    paths: { path: { scope: 'gateway-log', readsContent: true } },
    argv: (a) => ['tail', '-n', String(a.lines), a.path],
  }),
  'state-dir': define({
    id: 'state-dir',
    asProfileUser: true,
    title: "Create clawdeploy's directory on the host",
    on: 'host',
    risk: 'mutate',
    effect: 'bookkeeping',
    timeoutMs: 15_000,
    args: z.object({ path: AbsPath }).strict(),
    paths: { path: { scope: 'state-dir' } },
    argv: (a) => ['mkdir', '-p', a.path],
  }),
  'lock-host': define({
    id: 'lock-host',
    asProfileUser: true,
    title: 'Take the deploy lock on the host',
    on: 'host',
    risk: 'mutate',
    effect: 'bookkeeping',
    timeoutMs: 15_000,
    // A symlink is created atomically and fails when it exists; its target names the owner.
    args: z.object({ path: AbsPath, owner: Plain.max(200).regex(/^[A-Za-z0-9@:._ -]+$/, 'must be plain text') }).strict(),
    paths: { path: { scope: 'state-file' } },
    argv: (a) => ['ln', '-s', a.owner, a.path],
  }),
  'unlock-host': define({
    id: 'unlock-host',
    asProfileUser: true,
    title: 'Release the deploy lock on the host',
    on: 'host',
    risk: 'mutate',
    effect: 'bookkeeping',
    timeoutMs: 15_000,
    args: z.object({ path: AbsPath }).strict(),
    paths: { path: { scope: 'state-file' } },
    argv: (a) => ['rm', '-f', a.path],
  }),
  'read-host-file': define({
    id: 'read-host-file',
    asProfileUser: true,
    title: "Read one of clawdeploy's files on the host",
    on: 'host',
    risk: 'read',
    effect: 'bookkeeping',
    timeoutMs: 15_000,
    args: z.object({ path: AbsPath }).strict(),
    paths: { path: { scope: 'state-file', readsContent: true } },
    argv: (a) => ['cat', a.path],
  }),
  'read-lock': define({
    id: 'read-lock',
    asProfileUser: true,
    title: 'Who holds the deploy lock',
    on: 'host',
    risk: 'read',
    effect: 'bookkeeping',
    timeoutMs: 15_000,
    args: z.object({ path: AbsPath }).strict(),
    // The lock is a symbolic link by design: readlink reads the link, never what it points to.
    paths: { path: { scope: 'state-file' } },
    argv: (a) => ['readlink', a.path],
  }),
  'write-host-file': define({
    id: 'write-host-file',
    asProfileUser: true,
    title: 'Write a record on the host',
    on: 'host',
    risk: 'mutate',
    effect: 'bookkeeping',
    timeoutMs: 15_000,
    // The content goes on stdin (bounded), never into the argv.
    args: z.object({ path: AbsPath, content: z.string().max(65_536) }).strict(),
    stdin: 'content',
    paths: { path: { scope: 'state-file' } },
    argv: (a) => ['tee', a.path],
  }),
  'arm-watchdog': define({
    id: 'arm-watchdog',
    asProfileUser: true,
    title: 'Arm the rollback watchdog on the host',
    on: 'host',
    risk: 'mutate',
    effect: 'bookkeeping',
    timeoutMs: 15_000,
    // goal: how the host re-activates the generation it returns to (absent: switch; after a `test`, test).
    args: z.object({ profile: AbsPath, generation: z.number().int().positive(), canary: AbsPath, seconds: z.number().int().min(5).max(3600), goal: ActivationGoal.optional() }).strict(),
    argv: (a, ctx) => [
      'setsid',
      '-f',
      'sh',
      '-c',
      WATCHDOG_SCRIPT,
      'clawdeploy-watchdog',
      a.canary,
      String(a.seconds),
      a.profile,
      String(a.generation),
      ...activationArgv(ctx.host, a.profile, a.goal),
    ],
    check: (a, ctx) => goalProblem(ctx.host, a.goal),
    paths: { profile: { scope: 'profile' }, canary: { scope: 'state-file' } },
  }),
  'confirm-watchdog': define({
    id: 'confirm-watchdog',
    asProfileUser: true,
    title: 'Confirm the deploy over a fresh connection (disarms the watchdog)',
    on: 'host',
    risk: 'mutate',
    effect: 'bookkeeping',
    freshConnection: true,
    timeoutMs: 30_000,
    args: z.object({ canary: AbsPath }).strict(),
    paths: { canary: { scope: 'state-file' } },
    argv: (a) => ['rm', a.canary],
  }),
} as const;

export type ActionId = keyof typeof ACTIONS;

export function isActionId(id: string): id is ActionId {
  return Object.hasOwn(ACTIONS, id);
}

export type Validated = { ok: true; argv: string[]; spec: ActionSpec } | { ok: false; reason: string };

/** Validates an action and its arguments against the catalog; the only way to get an argv. */
export function validateAction(action: string, args: unknown, ctx: ActionContext): Validated {
  if (!isActionId(action)) return { ok: false, reason: `unknown action '${action}'` };
  const spec = ACTIONS[action] as unknown as ActionSpec;
  const parsed = spec.args.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${action}: ${issue.path.join('.') || 'arguments'}: ${issue.message}` };
  }
  const outside = pathsProblem(spec.paths, parsed.data, ctx.host);
  if (outside) return { ok: false, reason: `${action}: ${outside}` };
  const problem = spec.check?.(parsed.data, ctx);
  if (problem) return { ok: false, reason: `${action}: ${problem}` };
  const argv = spec.argv(parsed.data, ctx);
  return { ok: true, argv: spec.asProfileUser && spec.on === 'host' ? asProfileUser(ctx.host, argv) : argv, spec };
}

/** How long a step may run: an activation honours the host's own timeout (deploy-rs's `activationTimeout`). */
export function stepTimeoutMs(spec: ActionSpec, host: Host): number {
  return spec.effect === 'activates' && host.activationTimeoutSec !== undefined ? host.activationTimeoutSec * 1000 : spec.timeoutMs;
}
