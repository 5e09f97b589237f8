import { z } from 'zod';

// The inventory: which hosts a flake deploys to. Users write as little as possible;
// facts nix-openclaw already knows (port, channels, secret files, unit) are derived
// from the host's own evaluated options (see derive.ts).

export const Environment = z.enum(['staging', 'production']);
export type Environment = z.infer<typeof Environment>;

export const HostKind = z.enum(['home-manager', 'nixos', 'profile']);
export type HostKind = z.infer<typeof HostKind>;

/** How the gateway process is supervised on the host. `none`: a plain process (fixtures, containers). */
export const ServiceManager = z.enum(['systemd-user', 'systemd-system', 'launchd', 'none']);
export type ServiceManager = z.infer<typeof ServiceManager>;

const sshTarget = /^ssh:\/\/(?:[a-z_][a-z0-9_.-]{0,31}@)?[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::\d{1,5})?$/;
export const Target = z.union([z.literal('local'), z.string().regex(sshTarget, 'must be "local" or ssh://[user@]host[:port]')]);

const absolutePath = z
  .string()
  .regex(/^\/[A-Za-z0-9._/+@=-]*$/, 'must be an absolute path of plain characters')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".."');

const attributePath = z.string().regex(/^[A-Za-z0-9_'"-]+(?:\.[A-Za-z0-9_'"-]+)*$/, 'must be a flake attribute path like homeConfigurations.staging.activationPackage');

const PORT_RANGE = 'must be a TCP port from 1 to 65535';
export const Port = z.number().int(PORT_RANGE).min(1, PORT_RANGE).max(65535, PORT_RANGE);

/** A label for selecting hosts (`--on @canary`): a word, so it never reads as a glob or a list. */
export const Tag = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'must be a tag like "canary": letters, digits, "_" and "-", starting with a letter or digit');

/**
 * What a deploy does with the new generation (NixOS's switch-to-configuration verbs): `switch` makes
 * it the boot default and activates it; `test` activates it only; `boot` makes it the boot default
 * only; `dry-activate` shows what activating it would restart. Other kinds only switch.
 */
export const Goal = z.enum(['switch', 'test', 'boot', 'dry-activate']);
export type Goal = z.infer<typeof Goal>;

/** A login name, as ssh targets take it (never an option). */
export const UserName = z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/, 'must be a user name like "deploy"');

/** deploy-rs's `sudo`: words without shell syntax; the user name and the command are appended. */
export const SudoCommand = z.string().regex(/^[A-Za-z0-9/._-]+( +[A-Za-z0-9/._=-]+)*$/, 'must be a command like "sudo -u" or "doas -u": plain words separated by spaces');

/** One ssh option word; Nix splits NIX_SSHOPTS on whitespace, so no word may hold any. */
export const SshOpt = z.string().regex(/^[^\s\x00]+$/, 'must be one ssh argument without spaces (NIX_SSHOPTS splits on whitespace): write ["-p" "2121"], not ["-p 2121"]');

export const HttpCheck = z.object({
  path: z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, 'must be a URL path like /readyz'),
  port: Port.optional(),
});

/** What a user writes under `clawdeploy.hosts.<name>` (all facts nix-openclaw knows are optional). */
export const HostEntry = z
  .object({
    target: Target,
    environment: Environment,
    kind: HostKind,
    /** The flake attribute that builds the host's generation. */
    attribute: attributePath,
    /** The attribute holding the evaluated module options (derived from `attribute` for HM and NixOS). */
    configAttribute: attributePath.optional(),
    /** The profile on the target (default by kind). */
    profile: absolutePath.optional(),
    /** The activation script inside the generation, relative to it (kind `profile`). */
    activate: z
      .string()
      .regex(/^[A-Za-z0-9._/-]+$/)
      .optional(),
    gateway: z
      .object({
        port: Port.optional(),
        unit: z
          .string()
          .regex(/^[A-Za-z0-9@._-]+$/)
          .optional(),
        manager: ServiceManager.optional(),
        logPath: absolutePath.optional(),
      })
      .strict()
      .optional(),
    channels: z.array(z.string().regex(/^[a-z0-9_-]+$/)).optional(),
    healthChecks: z
      .object({ http: z.array(HttpCheck).optional() })
      .strict()
      .optional(),
    /** Labels to select hosts by (`--on @edge`); deploy-rs nodes set them as `clawdeploy.tags`. */
    tags: z.array(Tag).optional(),
    /** Who logs in (deploy-rs's `sshUser`); the target's user when it names one. */
    sshUser: UserName.optional(),
    /** Who owns the profile (deploy-rs's `user`): commands on it run through `sudo` when it is not the ssh user. */
    user: UserName.optional(),
    /** The command that runs a command as `user` (deploy-rs's `sudo`, default "sudo -u"), split on spaces, never a shell. */
    sudo: SudoCommand.optional(),
    /** Extra ssh options for every ssh and `nix copy` to the host (deploy-rs's `sshOpts`). */
    sshOpts: z.array(SshOpt).max(64).optional(),
    /** Seconds the activation may take (deploy-rs's `activationTimeout`). */
    activationTimeout: z.number().int().min(1).max(86_400).optional(),
    /** Seconds the host waits for the confirm before it reverts (deploy-rs's `confirmTimeout`; the watchdog). */
    confirmTimeout: z.number().int().min(5).max(3600).optional(),
    /** The default goal of `apply`/`plan` (`--goal` overrides it); NixOS hosts only. */
    goal: Goal.optional(),
    /** Build on the target (deploy-rs's remoteBuild): nothing is built here or copied from here. */
    buildOnTarget: z.boolean().optional(),
  })
  .strict();
export type HostEntry = z.infer<typeof HostEntry>;

export const SecretFileRef = z.object({
  /** Where the file must exist on the host. */
  path: z.string(),
  /** The option that references it, e.g. programs.openclaw.environment.DISCORD_BOT_TOKEN. */
  option: z.string(),
});
export type SecretFileRef = z.infer<typeof SecretFileRef>;

export const GatewayTokenSource = z.object({
  env: z.string().regex(/^[A-Z][A-Z0-9_]{0,127}$/),
  files: z.array(z.string()).min(1).max(16),
  /** `value`: the file holds the token (Home Manager `environment`); `envfile`: NAME=value lines (systemd EnvironmentFile). */
  format: z.enum(['value', 'envfile']),
});
export type GatewayTokenSource = z.infer<typeof GatewayTokenSource>;

/** A host with every fact resolved: what the rest of clawdeploy works with. */
export const Host = z.object({
  name: z.string(),
  source: z.enum(['clawdeploy.hosts', 'deploy.nodes']),
  target: Target,
  environment: Environment,
  kind: HostKind,
  attribute: z.string(),
  configAttribute: z.string().nullable(),
  profile: z.string(),
  activate: z.string(),
  gateway: z.object({
    port: Port,
    unit: z.string(),
    manager: ServiceManager,
    logPath: z.string().nullable(),
    /** Where the live config sits on the host (to detect drift). */
    configPath: z.string(),
    /**
     * Where the gateway's auth token comes from when the config takes it from the environment
     * (`gateway.auth.token = { source = "env"; id = … }`): the variable and the declared secret
     * files that set it on the host. The CLI checks load it on the host (never read by clawdeploy).
     */
    token: GatewayTokenSource.nullable().optional(),
    /** Where the gateway keeps its runtime state (not rolled back with a generation). */
    stateDir: z.string().optional(),
  }),
  channels: z.array(z.string()),
  runtimePlugins: z.array(z.string()),
  secretFiles: z.array(SecretFileRef),
  healthChecks: z.object({ http: z.array(z.object({ path: z.string(), port: Port })) }),
  /** Always set by the inventory (empty when none); optional so hosts made in code need none. */
  tags: z.array(z.string()).optional(),
  /** The inventory's default goal (absent: switch). */
  goal: Goal.optional(),
  /** Build on the target instead of here (absent: here). */
  buildOnTarget: z.boolean().optional(),
  /**
   * The profile's owner when it is not the ssh user: the profile and clawdeploy's files beside it
   * are changed through `sudo` (argv, e.g. ["sudo", "-u"]) as that user. Absent: as the ssh user.
   */
  runAs: z.object({ user: z.string(), sudo: z.array(z.string()).min(1) }).optional(),
  /** Extra ssh options (deploy-rs's `sshOpts`), before clawdeploy's own. */
  sshOpts: z.array(z.string()).optional(),
  /** Seconds the activation may take; absent: the catalog's. */
  activationTimeoutSec: z.number().int().positive().optional(),
  /** Seconds the watchdog waits for the confirm; absent: CLAWDEPLOY_WATCHDOG_SECONDS or its default. */
  confirmTimeoutSec: z.number().int().positive().optional(),
});
export type Host = z.infer<typeof Host>;
