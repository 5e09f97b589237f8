// deploy-rs's own rules for one profile of a node (serokell/deploy-rs src/lib.rs, src/data.rs,
// src/bin/activate.rs), so a deploy-rs flake means the same to clawdeploy: settings merged profile
// over node over the top level (sshOpts appended in that order), who logs in, who owns the
// profile, and where the profile lands on the host.
import { userInfo } from 'node:os';
import { z } from 'zod';

/** The `generic_settings` clawdeploy honours, as the inventory's eval returns them. */
export const DeployRsSettings = z.object({
  sshUser: z.string().nullable(),
  user: z.string().nullable(),
  sudo: z.string().nullable(),
  sshOpts: z.array(z.string()),
  activationTimeout: z.number().nullable(),
  confirmTimeout: z.number().nullable(),
  /** Build on the target instead of copying the closure from here (clawdeploy's buildOnTarget). */
  remoteBuild: z.boolean().nullable().optional(),
});
export type DeployRsSettings = z.infer<typeof DeployRsSettings>;

/** The Nix that picks those settings from an attribute set (a missing one is null, or []). */
export const SETTINGS_NIX = `x: {
  sshUser = x.sshUser or null; user = x.user or null; sudo = x.sudo or null; sshOpts = x.sshOpts or [];
  activationTimeout = x.activationTimeout or null; confirmTimeout = x.confirmTimeout or null;
  remoteBuild = x.remoteBuild or null;
}`;

/** deploy-rs's merge: the first layer that sets a value wins; sshOpts are appended, profile first. */
export function mergeSettings(...layers: DeployRsSettings[]): DeployRsSettings {
  const first = <K extends keyof DeployRsSettings>(k: K) => layers.map((l) => l[k]).find((v) => v !== null) ?? null;
  return {
    sshUser: first('sshUser') as string | null,
    user: first('user') as string | null,
    sudo: first('sudo') as string | null,
    sshOpts: layers.flatMap((l) => l.sshOpts),
    activationTimeout: first('activationTimeout') as number | null,
    confirmTimeout: first('confirmTimeout') as number | null,
    remoteBuild: layers.map((l) => l.remoteBuild).find((v) => typeof v === 'boolean') ?? null,
  };
}

/** Who deploy-rs logs in as without `sshUser`: whoever runs the deploy. */
export function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'root';
  }
}

/**
 * The profile path deploy-rs activates: `profilePath`, else root's "system" is the NixOS system
 * profile, else `/nix/var/nix/profiles/per-user/USER/NAME`. (For a non-root user whose per-user
 * directory does not exist, activate-rs falls back to ~/.local/state/nix/profiles/NAME on the
 * host, which cannot be known here: set `profilePath` for those.)
 */
export function deployRsProfilePath(user: string, profileName: string, profilePath: string | null): string {
  if (profilePath) return profilePath;
  if (user === 'root' && profileName === 'system') return '/nix/var/nix/profiles/system';
  return `/nix/var/nix/profiles/per-user/${user}/${profileName}`;
}
