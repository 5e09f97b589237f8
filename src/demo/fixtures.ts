// Materialises the offline fixtures (real Nix, no network): used by the demo and by every
// end-to-end test (test/helpers/fixtures.ts re-exports it).
//
//   createOpenclawRepo()          temp git repo of the nix-openclaw stand-in, tags v2026.6.10, v2026.6.11 (+ extras)
//   materializeFlake(name, opts)  temp git repo of a user flake (fixtures/flakes/<name>), placeholders filled, locked
//   writeSecretFiles(dir, names)  the files agenix would decrypt on a host (fake values)
//   FAKE_SECRETS / SECRET_FILES   every fake secret value, so tests can assert none leaks
//   stopGateway(stateDir)         kills a gateway started by an activation (use in afterAll)
//   NIX_ENV, nixBuild(ref)        env for nix child processes (flakes on, offline); build -> out path
//   cleanupFixtures()             removes every temp dir this module created (use in afterAll)
//
// Change fixtures (fixtures/flakes/<name>/change.json + files/) are a base fixture plus the
// files in files/: materializeFlake commits the base, then applies them to the working tree
// (staged, as Nix needs tracked files) or as a second commit.
import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { PACKAGE_ROOT } from '../core/paths.js';

export const FIXTURES_DIR = join(PACKAGE_ROOT, 'fixtures');

const secrets = JSON.parse(readFileSync(join(FIXTURES_DIR, 'secrets.json'), 'utf8')) as {
  inline: { telegramBotToken: string; gatewayToken: string; anthropicApiKey: string };
  files: Record<string, string>;
};
/** The live secrets F5 writes inline into flake.nix (placeholders `@FAKE_SECRET_<key>@`). */
export const FAKE_SECRETS = secrets.inline;
/** Secret file name -> content, as decrypted under SECRETS_DIR on a host. */
export const SECRET_FILES: Readonly<Record<string, string>> = secrets.files;

function registryFile(): string {
  // Nix 2.8 would try to download the global registry; an empty local one fails fast. Our own
  // file, never one under /etc/nix: the demo and the tests leave the machine's Nix config alone.
  const own = join(tmpdir(), 'clawdeploy-empty-registry.json');
  if (!existsSync(own)) writeFileSync(own, '{"flakes":[],"version":2}\n');
  return own;
}

/**
 * How the demo and the tests configure Nix: through NIX_CONFIG in their own processes (flakes
 * on, no binary caches, no global registry: offline and fast), never by editing nix.conf.
 */
export const NIX_ENV: Record<string, string> = {
  NIX_CONFIG: `experimental-features = nix-command flakes\nsubstituters =\nflake-registry = ${registryFile()}`,
};

// Reproducible git: no user config (signing, hooks), a fixed identity.
const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'clawdeploy fixtures',
  GIT_AUTHOR_EMAIL: 'fixtures@clawdeploy.invalid',
  GIT_COMMITTER_NAME: 'clawdeploy fixtures',
  GIT_COMMITTER_EMAIL: 'fixtures@clawdeploy.invalid',
};

async function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await execa('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, env: { ...GIT_ENV, ...env } });
  return r.stdout.trim();
}

async function nix(cwd: string, args: string[]): Promise<string> {
  const r = await execa('nix', args, { cwd, env: NIX_ENV, reject: false });
  if (r.exitCode !== 0) throw new Error(`nix ${args.join(' ')} (in ${cwd}) failed:\n${r.stderr}`);
  return r.stdout;
}

/** Builds `<flakeref>#<attr>` and returns its out path (Nix 2.8 has no --print-out-paths). */
export async function nixBuild(installable: string): Promise<string> {
  const out = JSON.parse(await nix(tmpdir(), ['build', '--no-link', '--json', installable])) as Array<{ outputs: { out: string } }>;
  return out[0]!.outputs.out;
}

let tempRoot: string | undefined;
/** Puts every directory made from now on under `dir` (the demo keeps its example in one place). */
export function setFixturesRoot(dir: string): void {
  mkdirSync(dir, { recursive: true });
  tempRoot = dir;
}
/** A fresh directory under this module's temp root. */
export function tempDir(prefix: string): string {
  tempRoot ??= mkdtempSync(join(tmpdir(), 'clawdeploy-fx-'));
  return mkdtempSync(join(tempRoot, `${prefix}-`));
}

/** Removes every temp dir created here (gateways must be stopped first). */
export function cleanupFixtures(): void {
  if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
  tempRoot = undefined;
}

const handedOut = new Set<number>();
/** A TCP port free on 127.0.0.1 now, never returned twice by this process. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((res, rej) => {
      const s = createServer();
      s.once('error', rej);
      s.listen(0, '127.0.0.1', () => {
        const addr = s.address();
        s.close(() => res(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

export interface OpenclawVersion {
  version: string;
  broken?: boolean;
  /** Package the real OpenClaw installed at these paths (see realOpenclaw()) instead of the stand-in CLI. */
  real?: { node: string; entry: string };
}

/**
 * A temp git repo of the nix-openclaw stand-in with one commit and tag per version:
 * v2026.6.10, v2026.6.11, then `extraVersions` in order (e.g. a broken 2026.6.12).
 * `tags` maps the tag name ("v2026.6.11") to its commit.
 */
export async function createOpenclawRepo(opts: { extraVersions?: OpenclawVersion[] } = {}): Promise<{ path: string; tags: Record<string, string> }> {
  const path = tempDir('nix-openclaw');
  cpSync(join(FIXTURES_DIR, 'nix-openclaw'), path, { recursive: true });
  await git(path, ['init', '-q']);
  const pin = join(path, 'nix/sources/openclaw-source.nix');
  const template = readFileSync(pin, 'utf8');
  const tags: Record<string, string> = {};
  const nixString = (s: string) => JSON.stringify(s).replace(/\$\{/g, '\\${');
  for (const { version, broken = false, real } of [{ version: '2026.6.10' }, { version: '2026.6.11' }, ...(opts.extraVersions ?? [])]) {
    writeFileSync(
      pin,
      template
        .replace(/releaseTag = "[^"]*"/, `releaseTag = "v${version}"`)
        .replace(/releaseVersion = "[^"]*"/, `releaseVersion = "${version}"`)
        .replace(/broken = \w+/, `broken = ${broken}`)
        .replace(/real = null;/, real ? `real = { node = ${nixString(real.node)}; entry = ${nixString(real.entry)}; };` : 'real = null;'),
    );
    // Commit on the release day (lastModified then matches the version).
    const m = /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/.exec(version);
    const date = m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}T12:00:00Z` : new Date().toISOString();
    await git(path, ['add', '-A']);
    await git(path, ['commit', '-q', '-m', `mirror OpenClaw stable source v${version}`], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    await git(path, ['tag', `v${version}`]);
    tags[`v${version}`] = await git(path, ['rev-parse', 'HEAD']);
  }
  return { path, tags };
}

interface ChangeSpec {
  base: string;
  summary: string;
  /** The change moves an input: relock. Others are never locked, so Nix never copies them to the store (F5's secrets). */
  relock?: boolean;
  needsVersions?: OpenclawVersion[];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/** Copies `from` into `to`, filling `@NAME@` placeholders; an unknown placeholder is an error. */
function copyFilled(from: string, to: string, vars: Record<string, string>): void {
  for (const file of listFiles(from)) {
    const text = readFileSync(file, 'utf8').replace(/@([A-Z][A-Za-z0-9_]*)@/g, (whole, name: string) => {
      const value = vars[name];
      if (value === undefined) throw new Error(`${relative(FIXTURES_DIR, file)}: no value for placeholder ${whole}`);
      return value;
    });
    const dest = join(to, relative(from, file));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, text);
  }
}

export interface MaterializeOptions {
  /** Path of a repo from createOpenclawRepo(); a fixture without inputs (F9) needs none. */
  openclawRepo?: string;
  /**
   * Placeholder values; defaults: TARGET_<host> "local", PROFILE_<host> a temp path,
   * GATEWAY_PORT_<host> a free port, SECRETS_DIR an empty temp dir.
   */
  vars?: Record<string, string>;
  /** For a change fixture: leave the change staged in the working tree (default) or commit it. */
  change?: 'worktree' | 'commit';
}

export interface MaterializedFlake {
  dir: string;
  /** The commit holding the base (for a plain fixture, the only commit). */
  baseRev: string;
  /** HEAD: the change commit, or baseRev when the change is in the working tree. */
  headRev: string;
  /** Every placeholder value used (SECRETS_DIR, GATEWAY_PORT_staging, ...). */
  vars: Record<string, string>;
}

/**
 * A fresh git repo holding fixtures/flakes/<name> with placeholders filled and a flake.lock
 * made offline by `nix flake lock`. For a change fixture, HEAD is the base fixture and the
 * change is staged in the working tree (or committed, with `change: 'commit'`), relocked.
 */
export async function materializeFlake(name: string, opts: MaterializeOptions): Promise<MaterializedFlake> {
  const fixture = join(FIXTURES_DIR, 'flakes', name);
  if (!existsSync(fixture)) throw new Error(`no fixture flake ${name} under ${FIXTURES_DIR}/flakes`);
  const changeFile = join(fixture, 'change.json');
  const change = existsSync(changeFile) ? (JSON.parse(readFileSync(changeFile, 'utf8')) as ChangeSpec) : null;
  const baseDir = change ? join(FIXTURES_DIR, 'flakes', change.base) : fixture;
  const overlayDir = change ? join(fixture, 'files') : null;

  if (change?.needsVersions) {
    if (!opts.openclawRepo) throw new Error(`${name} needs an openclawRepo from createOpenclawRepo()`);
    const have = (await git(opts.openclawRepo, ['tag', '-l'])).split('\n');
    const missing = change.needsVersions.filter((v) => !have.includes(`v${v.version}`));
    if (missing.length) {
      throw new Error(`${name} needs createOpenclawRepo({ extraVersions: ${JSON.stringify(missing)} })`);
    }
  }

  const vars = await defaultVars([baseDir, ...(overlayDir ? [overlayDir] : [])], opts);
  const dir = tempDir(name);
  copyFilled(baseDir, dir, vars);
  await git(dir, ['init', '-q']);
  await git(dir, ['add', '-A']); // nix only sees tracked files
  await nix(dir, ['flake', 'lock']);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', change ? `base: ${change.base}` : name]);
  const baseRev = await git(dir, ['rev-parse', 'HEAD']);
  if (!change || !overlayDir) return { dir, baseRev, headRev: baseRev, vars };

  copyFilled(overlayDir, dir, vars);
  await git(dir, ['add', '-A']);
  if (change.relock) {
    await nix(dir, ['flake', 'lock']); // relocks inputs whose URL changed
    await git(dir, ['add', '-A']);
  }
  if (opts.change === 'commit') await git(dir, ['commit', '-q', '-m', change.summary]);
  return { dir, baseRev, headRev: await git(dir, ['rev-parse', 'HEAD']), vars };
}

async function defaultVars(dirs: string[], opts: MaterializeOptions): Promise<Record<string, string>> {
  const text = dirs
    .flatMap(listFiles)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const hosts = new Set([...text.matchAll(/@(?:TARGET|PROFILE|GATEWAY_PORT)_([A-Za-z0-9-]+)@/g)].map((m) => m[1]!));
  const given = opts.vars ?? {};
  // Without a repo, a fixture that pins nix-openclaw fails on its @OPENCLAW_REPO@ placeholder.
  const vars: Record<string, string> = opts.openclawRepo ? { OPENCLAW_REPO: opts.openclawRepo } : {};
  for (const [k, v] of Object.entries(FAKE_SECRETS)) vars[`FAKE_SECRET_${k}`] = v;
  if (!given.SECRETS_DIR && text.includes('@SECRETS_DIR@')) vars.SECRETS_DIR = tempDir('secrets');
  for (const host of hosts) {
    vars[`TARGET_${host}`] = 'local';
    if (!given[`PROFILE_${host}`]) {
      const profiles = tempDir('profiles');
      vars[`PROFILE_${host}`] = join(profiles, host); // nix-env creates <profile>-N-link next to it
    }
    if (!given[`GATEWAY_PORT_${host}`]) vars[`GATEWAY_PORT_${host}`] = String(await freePort());
  }
  return { ...vars, ...given };
}

/** Writes the named secret files (default: all of SECRET_FILES) into `dir` with mode 0600; returns their paths. */
export function writeSecretFiles(dir: string, names: string[] = Object.keys(SECRET_FILES)): string[] {
  mkdirSync(dir, { recursive: true });
  return names.map((name) => {
    const content = SECRET_FILES[name];
    if (content === undefined) throw new Error(`unknown secret file ${name} (known: ${Object.keys(SECRET_FILES).join(', ')})`);
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  });
}

/**
 * Stops the gateway whose pidfile is `<stateDir>/gateway.pid` ($HOME/.openclaw for Home
 * Manager, /var/lib/openclaw for NixOS) and waits until it has exited.
 */
export async function stopGateway(stateDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(stateDir, 'gateway.pid'), 'utf8').trim());
  } catch {
    return;
  }
  const alive = () => {
    try {
      process.kill(pid, 0);
      // A zombie has exited; it only waits for init to reap it.
      return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  };
  if (!pid || !alive()) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive()) process.kill(pid, 'SIGKILL');
}
