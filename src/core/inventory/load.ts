// Reads the inventory from the flake: `clawdeploy.hosts.<name>`, or deploy-rs's
// `deploy.nodes.<name>` (so deploy-rs users need no new config), then derives the rest.
import { z } from 'zod';
import { evalJson, evalOptional } from '../nix/flake.js';
import { cachedEval, flakeFingerprint } from '../nix/evalCache.js';
import { UserError } from '../errors.js';
import { HostEntry, type Host } from './schema.js';
import { checkedHost } from './checkHost.js';
import { DEFAULT_GATEWAY_PORT, type DerivedFacts } from './derive.js';
import { hostKind, kindOfDeployRsProfile, type OptionFacts } from '../hostKinds/index.js';
import { DeployRsSettings, SETTINGS_NIX, deployRsProfilePath, localUser, mergeSettings } from './deployRs.js';
import { UserName } from './schema.js';
import { loginUser, runAsFor } from '../plan/runAs.js';

/**
 * Only what we need from deploy-rs's `deploy` (its top-level settings and its nodes): derivations
 * become attribute paths, never built here.
 */
const DEPLOY_RS_APPLY = `d: let s = ${SETTINGS_NIX}; in {
  settings = s d;
  nodes = builtins.mapAttrs (n: v: s v // {
    hostname = v.hostname or null;
    clawdeploy = v.clawdeploy or {};
    profiles = builtins.mapAttrs (p: pv: s pv // { profilePath = pv.profilePath or null; }) (v.profiles or {});
  }) (d.nodes or {});
}`;

const DeployRsNode = DeployRsSettings.extend({
  hostname: z.string().nullable(),
  clawdeploy: z.record(z.string(), z.unknown()),
  profiles: z.record(z.string(), DeployRsSettings.extend({ profilePath: z.string().nullable() })),
});
const DeployRs = z.object({ settings: DeployRsSettings, nodes: z.record(z.string(), z.unknown()) });

export interface Inventory {
  flakeDir: string;
  hosts: Host[];
}

function zodLine(prefix: string, error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].join('.');
  return `${path}: ${issue.message}`;
}

/** `sshUser` written beside the target goes into it, where every ssh and `nix copy` reads the login from. */
function withSshUser(entry: HostEntry, at: string): HostEntry {
  if (!entry.sshUser) return entry;
  if (entry.target === 'local') throw new UserError(`${at}: needs an ssh:// target (the host is "local")`);
  const inTarget = entry.target.match(/^ssh:\/\/([^@]+)@/)?.[1];
  if (inTarget && inTarget !== entry.sshUser) throw new UserError(`${at}: '${entry.sshUser}' differs from the user of the target ${entry.target}`);
  return inTarget ? entry : { ...entry, target: entry.target.replace(/^ssh:\/\//, `ssh://${entry.sshUser}@`) };
}

/** Entries as written, validated, from either schema (clawdeploy.hosts wins on a name clash). */
async function readEntries(flakeDir: string, fp?: Promise<string | null>): Promise<Array<{ name: string; source: Host['source']; entry: HostEntry }>> {
  const out: Array<{ name: string; source: Host['source']; entry: HostEntry }> = [];
  // Both schemas at once: two evaluations in parallel cost about one.
  const [hosts, deploy] = await Promise.all([
    cachedEval(flakeDir, 'clawdeploy.hosts', undefined, () => evalOptional(flakeDir, 'clawdeploy.hosts'), fp),
    cachedEval(flakeDir, 'deploy', DEPLOY_RS_APPLY, () => evalOptional(flakeDir, 'deploy', DEPLOY_RS_APPLY), fp),
  ]);
  if (hosts !== undefined) {
    const raw = hosts;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(`flake ${flakeDir}: clawdeploy.hosts: expected an attribute set of hosts`);
    for (const [name, value] of Object.entries(raw as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) {
      const parsed = HostEntry.safeParse(value);
      if (!parsed.success) throw new UserError(`flake ${flakeDir}: ${zodLine(`clawdeploy.hosts.${name}`, parsed.error)}`);
      out.push({ name, source: 'clawdeploy.hosts', entry: withSshUser(parsed.data, `flake ${flakeDir}: clawdeploy.hosts.${name}.sshUser`) });
    }
  }
  if (deploy !== undefined) {
    const d = DeployRs.safeParse(deploy);
    if (!d.success) throw new UserError(`flake ${flakeDir}: ${zodLine('deploy', d.error)}`);
    const raw = d.data.nodes;
    for (const [node, value] of Object.entries(raw).sort(([a], [b]) => a.localeCompare(b))) {
      const parsed = DeployRsNode.safeParse(value);
      if (!parsed.success) throw new UserError(`flake ${flakeDir}: ${zodLine(`deploy.nodes.${node}`, parsed.error)}`);
      const n = parsed.data;
      const profiles = Object.entries(n.profiles).sort(([a], [b]) => a.localeCompare(b));
      for (const [profile, p] of profiles) {
        const name = profiles.length === 1 ? node : `${node}.${profile}`;
        if (out.some((e) => e.name === name)) continue;
        const set = mergeSettings(p, n, d.data.settings);
        // deploy-rs: the profile belongs to `user`, else to `sshUser`; with neither it refuses.
        const user = set.user ?? set.sshUser;
        if (!user) throw new UserError(`flake ${flakeDir}: deploy.nodes.${node}.profiles.${profile}: neither \`user\` nor \`sshUser\` is set (deploy-rs refuses it too)`);
        // Without sshUser deploy-rs logs in as whoever runs it, named explicitly as it does.
        const me = localUser();
        const login = set.sshUser ?? (UserName.safeParse(me).success ? me : null);
        const path = deployRsProfilePath(user, profile, p.profilePath);
        const kind = kindOfDeployRsProfile({ name: profile, path });
        const activate = hostKind(kind).deployRsActivate;
        const candidate = {
          target: n.hostname ? `ssh://${login ? `${login}@` : ''}${n.hostname}` : 'local',
          environment: 'production', // unknown environment: the stricter gates apply
          kind,
          attribute: `deploy.nodes.${node}.profiles.${profile}.path`,
          profile: path,
          ...(activate ? { activate } : {}),
          ...(set.user ? { user: set.user } : {}),
          ...(set.sudo !== null ? { sudo: set.sudo } : {}),
          ...(set.sshOpts.length ? { sshOpts: set.sshOpts } : {}),
          ...(set.activationTimeout !== null ? { activationTimeout: set.activationTimeout } : {}),
          ...(set.confirmTimeout !== null ? { confirmTimeout: set.confirmTimeout } : {}),
          ...(set.remoteBuild ? { buildOnTarget: true } : {}),
          ...n.clawdeploy,
        };
        const parsed2 = HostEntry.safeParse(candidate);
        if (!parsed2.success) {
          // A field the node sets under `clawdeploy` (tags, environment…) is named where it was written.
          const field = parsed2.error.issues[0]!.path[0];
          const at = typeof field === 'string' && field in n.clawdeploy ? `deploy.nodes.${node}.clawdeploy` : `deploy.nodes.${node}`;
          throw new UserError(`flake ${flakeDir}: ${zodLine(at, parsed2.error)}`);
        }
        out.push({ name, source: 'deploy.nodes', entry: parsed2.data });
      }
    }
  }
  return out;
}

/** Facts from the host's evaluated module options, read the kind's way; none for kinds without options (plain profiles). */
async function facts(flakeDir: string, options: OptionFacts | null, configAttribute: string | null, fp?: Promise<string | null>): Promise<DerivedFacts | null> {
  if (!configAttribute || !options) return null;
  // Cached by the flake's content (see nix/evalCache.ts): a rollback need not wait for Nix.
  return options.derive(await cachedEval(flakeDir, configAttribute, options.apply, () => evalJson(flakeDir, configAttribute, options.apply), fp));
}

export async function resolveHost(flakeDir: string, name: string, source: Host['source'], entry: HostEntry, fp?: Promise<string | null>): Promise<Host> {
  const strategy = hostKind(entry.kind);
  if (entry.goal && !strategy.goals.includes(entry.goal)) throw new UserError(`flake ${flakeDir}: ${source}.${name}.goal: ${entry.goal} needs kind "nixos" (${strategy.label} only switches)`);
  const configAttribute = entry.configAttribute ?? strategy.configAttributeFor(entry.attribute);
  const derived = await facts(flakeDir, strategy.optionFacts, configAttribute, fp);
  const login = loginUser(entry.target);
  // The profile belongs to `user` when set (deploy-rs's rule), else to whoever logs in.
  const profile = entry.profile ?? strategy.defaultProfile(entry.user ?? login);
  if (!profile) throw new UserError(`flake ${flakeDir}: ${source}.${name}.profile: required for kind "${entry.kind}"`);
  const port = entry.gateway?.port ?? derived?.port ?? DEFAULT_GATEWAY_PORT;
  const manager = entry.gateway?.manager ?? strategy.defaultManager;
  const runAs = runAsFor(login, entry.user, entry.sudo);
  const host: Host = {
    name,
    source,
    target: entry.target,
    environment: entry.environment,
    kind: entry.kind,
    attribute: entry.attribute,
    configAttribute,
    profile,
    activate: entry.activate ?? strategy.defaultActivate,
    gateway: {
      port,
      unit: entry.gateway?.unit ?? derived?.unit ?? 'openclaw-gateway',
      manager,
      logPath: entry.gateway?.logPath ?? derived?.logPath ?? null,
      configPath: derived?.configPath ?? '~/.openclaw/openclaw.json',
      token: derived?.token ?? null,
      ...(derived?.stateDir ? { stateDir: derived.stateDir } : {}),
    },
    channels: entry.channels ?? derived?.channels ?? [],
    runtimePlugins: derived?.runtimePlugins ?? [],
    secretFiles: derived?.secretFiles ?? [],
    healthChecks: {
      http: (entry.healthChecks?.http ?? [{ path: '/healthz' }, { path: '/readyz' }]).map((c) => ({ path: c.path, port: c.port ?? port })),
    },
    tags: [...new Set(entry.tags ?? [])],
    ...(entry.goal ? { goal: entry.goal } : {}),
    ...(entry.buildOnTarget ? { buildOnTarget: true } : {}),
    ...(runAs ? { runAs } : {}),
    ...(entry.sshOpts?.length ? { sshOpts: entry.sshOpts } : {}),
    ...(entry.activationTimeout !== undefined ? { activationTimeoutSec: entry.activationTimeout } : {}),
    ...(entry.confirmTimeout !== undefined ? { confirmTimeoutSec: entry.confirmTimeout } : {}),
  };
  const portFrom = entry.gateway?.port !== undefined ? `${source}.${name}.gateway.port` : derived?.portOption ? `${configAttribute}.${derived.portOption}` : 'gateway.port';
  return checkedHost(flakeDir, host, portFrom);
}

export async function loadInventory(flakeDir: string): Promise<Inventory> {
  const fp = flakeFingerprint(flakeDir);
  const entries = await readEntries(flakeDir, fp);
  const hosts: Host[] = [];
  for (const e of entries) hosts.push(await resolveHost(flakeDir, e.name, e.source, e.entry, fp));
  return { flakeDir, hosts };
}

export interface HostEntryRef {
  name: string;
  source: Host['source'];
  entry: HostEntry;
}

/** One host's entry as written (validated), with an error that lists the hosts that exist. */
export async function findHostEntry(flakeDir: string, name: string, fp?: Promise<string | null>): Promise<HostEntryRef> {
  const entries = await readEntries(flakeDir, fp);
  const e = entries.find((x) => x.name === name);
  if (!e) {
    const known = entries.map((x) => x.name).join(', ') || 'none';
    throw new UserError(`host '${name}' is not in the inventory of ${flakeDir} (hosts: ${known})`);
  }
  return e;
}

/** One host by name, with every fact resolved. */
export async function loadHost(flakeDir: string, name: string): Promise<Host> {
  // The flake is read once for both lookups.
  const fp = flakeFingerprint(flakeDir);
  const e = await findHostEntry(flakeDir, name, fp);
  return resolveHost(flakeDir, e.name, e.source, e.entry, fp);
}
