// What a host kind decides. Everything that differs between Home Manager, NixOS and plain
// profiles sits behind this interface, so that adding a kind is one file and one row in index.ts.
import type { DerivedFacts } from '../inventory/derive.js';
import type { Goal, Host, HostKind, ServiceManager } from '../inventory/schema.js';

/** How the gateway's facts are read from a host's evaluated module options. */
export interface OptionFacts {
  /** The `--apply` expression evaluated on the config attribute (keeps the eval small and cacheable). */
  apply: string;
  /** Turns what `apply` returned into facts (pure). */
  derive(evaluated: unknown): DerivedFacts;
}

/** A deploy-rs profile as deploy-rs resolves it: its name, and the profile path it lands in on the host. */
export interface DeployRsProfile {
  name: string;
  path: string;
}

export interface HostKindStrategy {
  kind: HostKind;
  /** What the host runs OpenClaw from, for people ("a NixOS system"). */
  label: string;
  /** Where the module options live, by convention, for a build attribute; null when no convention applies. */
  configAttributeFor(attribute: string): string | null;
  /** The profile on the target when the inventory names none; null: the inventory must name it. */
  defaultProfile(user: string): string | null;
  /** How facts are read from the evaluated options; null when the kind has no options to read. */
  optionFacts: OptionFacts | null;
  /** Who supervises the gateway when the inventory does not say. */
  defaultManager: ServiceManager;
  /** The activation script inside the generation when the inventory names none. */
  defaultActivate: string;
  /** Whether a deploy-rs profile of this name holds this kind (asked in the order of index.ts). */
  claimsDeployRsProfile(profile: DeployRsProfile): boolean;
  /** The activation script of a deploy-rs profile of this kind, when it differs from defaultActivate. */
  deployRsActivate: string | null;
  /** The goals the kind can deploy with (every kind can `switch`). */
  goals: readonly Goal[];
  /**
   * The argv that activates a generation (the profile, or a store path with goal `test`) for a
   * goal the kind supports (default `switch`): `dry-activate` only reports what it would do.
   */
  activateArgv(generation: string, host: Host, goal?: Goal): string[];
  /** The openclaw program inside a generation (or the profile pointing at one). */
  openclawBinIn(generation: string): string;
  /** The rendered openclaw.json inside a generation. */
  renderedConfigIn(generation: string): string;
  /** Where the gateway keeps runtime state by default (not rolled back with a generation). */
  defaultStateDir: string;
  /** Whether the kind has a runtime-plugins option to check channels against. */
  supportsRuntimePlugins: boolean;
}
