// Facts nix-openclaw already knows, read from the host's own evaluated options, so that
// users write as little inventory as possible. Pure: takes the evaluated JSON, returns facts.
import type { GatewayTokenSource, SecretFileRef } from './schema.js';

export const DEFAULT_GATEWAY_PORT = 18789;
const NOT_CHANNELS = new Set(['defaults', 'modelByChannel']);

/** The `--apply` function that extracts what we need from a Home Manager configuration. */
export const HM_APPLY = `c: let o = (c.programs or {}).openclaw or {}; in {
  enable = o.enable or false;
  environment = o.environment or {};
  runtimePlugins = o.runtimePlugins or [];
  config = o.config or {};
  stateDir = o.stateDir or null;
  unitName = (o.systemd or {}).unitName or null;
  homeDirectory = (c.home or {}).homeDirectory or null;
  instances = builtins.mapAttrs (n: i: {
    enable = i.enable or true;
    gatewayPort = i.gatewayPort or null;
    config = i.config or {};
    environment = i.environment or {};
    runtimePlugins = i.runtimePlugins or [];
    stateDir = i.stateDir or null;
  }) (o.instances or {});
}`;

/** The same for a NixOS configuration (services.openclaw-gateway). */
export const NIXOS_APPLY = `c: let s = (c.services or {}).openclaw-gateway or {}; in {
  enable = s.enable or false;
  port = s.port or null;
  unitName = s.unitName or null;
  config = s.config or {};
  environment = s.environment or {};
  environmentFiles = s.environmentFiles or [];
  configPath = s.configPath or null;
  logPath = s.logPath or null;
  stateDir = s.stateDir or null;
}`;

export interface DerivedFacts {
  port: number | null;
  /** The module option the port was read from (relative to the config attribute); null for the default. */
  portOption: string | null;
  unit: string;
  configPath: string;
  logPath: string | null;
  channels: string[];
  runtimePlugins: string[];
  secretFiles: SecretFileRef[];
  stateDir: string;
  /** Where the CLI gets the gateway token on the host, when the config takes it from the environment. */
  token: GatewayTokenSource | null;
  /** The effective rendered config as Nix knows it (used for semantic diffs before building). */
  config: Record<string, unknown>;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function merge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === null) continue; // nix-openclaw strips nulls before rendering
    const prev = out[k];
    out[k] = prev && typeof prev === 'object' && !Array.isArray(prev) && v && typeof v === 'object' && !Array.isArray(v) ? merge(prev as Json, v as Json) : v;
  }
  return out;
}

/** Channel ids of a rendered config: every section but the typed helpers, unless `enabled = false`. */
export function channelsOf(config: Json): string[] {
  return Object.entries(obj(config['channels']))
    .filter(([id, v]) => !NOT_CHANNELS.has(id) && obj(v)['enabled'] !== false)
    .map(([id]) => id)
    .sort();
}

/** The variable a config's `gateway.auth.token` reads (an env SecretRef or "${NAME}"), or null. */
export function gatewayTokenEnv(config: Json): string | null {
  const token = obj(obj(config['gateway'])['auth'])['token'];
  if (typeof token === 'string') return token.match(/^\$\{?([A-Z][A-Z0-9_]{0,127})\}?$/)?.[1] ?? null;
  const ref = obj(token);
  return ref['source'] === 'env' && typeof ref['id'] === 'string' ? ref['id'] : null;
}

/** Secret files the host must have: environment paths, channel token files, env files. */
function secretFilesOf(environment: Json, envOption: string, config: Json, configOption: string): SecretFileRef[] {
  const refs: SecretFileRef[] = [];
  for (const [name, value] of Object.entries(environment)) {
    if (typeof value === 'string' && value.startsWith('/')) refs.push({ path: value, option: `${envOption}.${name}` });
  }
  for (const [id, ch] of Object.entries(obj(config['channels']))) {
    for (const [key, value] of Object.entries(obj(ch))) {
      if (/File$/.test(key) && typeof value === 'string' && value.startsWith('/')) {
        refs.push({ path: value, option: `${configOption}.channels.${id}.${key}` });
      }
    }
  }
  return refs;
}

export function deriveHomeManager(evaluated: unknown): DerivedFacts {
  const o = obj(evaluated);
  const instances = obj(o['instances']);
  const names = Object.keys(instances).filter((n) => obj(instances[n])['enable'] !== false);
  // With instances, they replace the implicit default; we deploy `default` or the only one.
  const name = names.includes('default') ? 'default' : names.length === 1 ? names[0]! : null;
  const inst = name ? obj(instances[name]) : {};
  const config = merge(merge({ gateway: { mode: 'local' } }, obj(o['config'])), obj(inst['config']));
  const environment = { ...obj(o['environment']), ...obj(inst['environment']) };
  // The port and the option it came from (named in errors): the instance's own, else its config's, else the shared config's.
  const at = `programs.openclaw.instances.${name ?? 'default'}`;
  const configPort = (c: unknown) => obj(obj(c)['gateway'])['port'];
  const [port, portOption]: [number, string | null] =
    typeof inst['gatewayPort'] === 'number'
      ? [inst['gatewayPort'], `${at}.gatewayPort`]
      : typeof configPort(inst['config']) === 'number'
        ? [configPort(inst['config']) as number, `${at}.config.gateway.port`]
        : typeof configPort(o['config']) === 'number'
          ? [configPort(o['config']) as number, 'programs.openclaw.config.gateway.port']
          : [DEFAULT_GATEWAY_PORT, null];
  const suffix = name && name !== 'default' ? `-${name}` : '';
  const stateDir = (typeof inst['stateDir'] === 'string' && inst['stateDir']) || (typeof o['stateDir'] === 'string' && o['stateDir']) || `~/.openclaw${suffix}`;
  return {
    port,
    portOption,
    unit: (typeof o['unitName'] === 'string' ? o['unitName'] : 'openclaw-gateway') + suffix,
    configPath: `${stateDir}/openclaw.json`,
    logPath: `/tmp/openclaw/openclaw-gateway${suffix}.log`,
    channels: channelsOf(config),
    runtimePlugins: [...new Set([...strings(o['runtimePlugins']), ...strings(inst['runtimePlugins'])])].sort(),
    secretFiles: secretFilesOf(environment, 'programs.openclaw.environment', config, 'programs.openclaw.config'),
    token: hmToken(config, environment),
    stateDir,
    config: merge(config, { gateway: { port } }),
  };
}

/** Home Manager: the wrapper exports `environment.<NAME>` from the file it names. */
function hmToken(config: Json, environment: Json): GatewayTokenSource | null {
  const env = gatewayTokenEnv(config);
  const file = env ? environment[env] : undefined;
  return env && typeof file === 'string' && file.startsWith('/') ? { env, files: [file], format: 'value' } : null;
}

export function deriveNixos(evaluated: unknown): DerivedFacts {
  const s = obj(evaluated);
  const config = obj(s['config']);
  const port = typeof s['port'] === 'number' ? s['port'] : DEFAULT_GATEWAY_PORT;
  const files = strings(s['environmentFiles'])
    .filter((f) => !f.startsWith('-')) // a leading "-" makes the file optional for systemd
    .map((path) => ({ path, option: 'services.openclaw-gateway.environmentFiles' }));
  return {
    port,
    portOption: typeof s['port'] === 'number' ? 'services.openclaw-gateway.port' : null,
    unit: typeof s['unitName'] === 'string' ? s['unitName'] : 'openclaw-gateway',
    configPath: typeof s['configPath'] === 'string' ? s['configPath'] : '/etc/openclaw/openclaw.json',
    logPath: typeof s['logPath'] === 'string' ? s['logPath'] : '/var/lib/openclaw/logs/gateway.log',
    channels: channelsOf(config),
    runtimePlugins: [],
    // NixOS `environment` values are exported literally (files are not read), so only env files count.
    secretFiles: [...secretFilesOf({}, 'services.openclaw-gateway.environment', config, 'services.openclaw-gateway.config'), ...files],
    stateDir: typeof s['stateDir'] === 'string' ? s['stateDir'] : '/var/lib/openclaw',
    // systemd reads the token from one of the EnvironmentFile= lines.
    token: (() => {
      const env = gatewayTokenEnv(config);
      return env && files.length ? { env, files: files.map((f) => f.path), format: 'envfile' as const } : null;
    })(),
    config: merge(config, { gateway: { port } }),
  };
}
