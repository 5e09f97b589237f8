// Which OpenClaw / nix-openclaw options carry secrets, and what a finding says about one.
// Paths are matched on their tail, so a path tracked through `homeConfigurations.x.modules`
// or `programs.openclaw.instances.prod.config` matches the same way as a bare one.

/** Option names that always hold a credential, wherever they sit. */
const ALWAYS = new Set(['apiKey', 'botToken', 'appToken', 'signingSecret', 'webhookSecret', 'clientSecret']);
/** Env var names that hold credentials (FOO_FILE / _PATH / _DIR hold pointers). */
const SECRET_ENV = /KEY|TOKEN|SECRET|PASS|CREDENTIAL/i;
const POINTER_ENV = /_(?:FILE|PATH|DIR)$/i;

export function isSecretEnvName(name: string): boolean {
  return SECRET_ENV.test(name) && !POINTER_ENV.test(name);
}

/** An `environment.<X>` / `env.vars.<X>` / plugin `config.env.<X>` entry: returns X. */
export function envEntry(path: readonly string[]): string | null {
  const n = path.length;
  if (n < 2) return null;
  const last = path[n - 1]!;
  const parent = path[n - 2]!;
  if (parent === 'vars' && path[n - 3] === 'env') return last;
  if (parent === 'env' && path[n - 3] === 'config') return last;
  if (parent === 'environment' && (isNixos(path) || path.includes('openclaw'))) return last;
  return null;
}

/**
 * Whether a literal at this option path would be a secret rendered into the store:
 * gateway.auth.token/password, channels.<c>.(botToken|token|appToken|signingSecret),
 * *.apiKey, and env entries (env.vars.X, programs.openclaw.environment.X,
 * services.openclaw-gateway.environment.X) whose names look secret.
 */
export function isSecretOptionPath(path: readonly string[]): boolean {
  const n = path.length;
  const last = path[n - 1];
  if (last === undefined) return false;
  if (ALWAYS.has(last)) return true;
  if (last === 'token' || last === 'password') {
    const parent = path[n - 2];
    if ((parent === 'auth' || parent === 'remote') && path[n - 3] === 'gateway') return true;
    return path.slice(0, -1).includes('channels');
  }
  const env = envEntry(path);
  return env !== null && isSecretEnvName(env);
}

export function isNixos(path: readonly string[]): boolean {
  const i = path.indexOf('services');
  return i >= 0 && path[i + 1] === 'openclaw-gateway';
}

/** The Home Manager instance a path belongs to ("default" unless under instances.<n>). */
export function instanceOf(path: readonly string[]): string {
  const i = path.indexOf('instances');
  return i >= 0 && path[i + 1] ? path[i + 1]! : 'default';
}

/** The path as a user would write it: from programs./services. on, or the whole path. */
export function displayPath(path: readonly string[]): string {
  const i = path.findIndex((p) => p === 'programs' || p === 'services');
  return (i >= 0 ? path.slice(i) : path).map((p) => (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(p) ? p : `"${p}"`)).join('.');
}

/** Where the value ends up once the flake is built. */
export function renderedStorePath(path: readonly string[]): { storePath: string; where: string } {
  const nixos = isNixos(path);
  const env = envEntry(path);
  if (env !== null && path[path.length - 2] === 'environment') {
    return nixos
      ? { storePath: '/nix/store/…-unit-openclaw-gateway.service', where: 'the systemd unit in /nix/store and /etc/systemd/system (world-readable)' }
      : { storePath: `/nix/store/…-openclaw-gateway-${instanceOf(path)}`, where: 'the gateway wrapper script in /nix/store (world-readable)' };
  }
  if (nixos) {
    return {
      storePath: '/nix/store/…-openclaw.json',
      where: 'the rendered config in /nix/store and /etc/openclaw/openclaw.json (mode 0644), both world-readable',
    };
  }
  const storePath = `/nix/store/…-openclaw-${instanceOf(path)}.json`;
  return { storePath, where: `the rendered config ${storePath} (world-readable)` };
}

/** The env var a SecretRef for this option would read. */
export function envVarFor(path: readonly string[]): string {
  const n = path.length;
  const last = path[n - 1]!;
  const env = envEntry(path);
  if (env !== null) return env;
  const up = (s: string): string =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .toUpperCase();
  if (path[n - 3] === 'gateway') return `OPENCLAW_GATEWAY_${up(last)}`;
  const c = path.indexOf('channels');
  if (c >= 0 && path[c + 1]) return `${up(path[c + 1]!)}_${last === 'token' || last === 'botToken' ? 'BOT_TOKEN' : up(last)}`;
  if (last === 'apiKey') {
    const p = path.indexOf('providers');
    const owner = p >= 0 && path[p + 1] ? path[p + 1]! : (path[n - 2] ?? 'OPENCLAW');
    return `${up(owner)}_API_KEY`;
  }
  return up(path.slice(-2).join('_'));
}
