// Finding texts. A message names the file, line, option and a masked prefix of the value,
// never the value; the fix shows the agenix/sops-nix rewrite and says to rotate.
import type { Finding } from '../plan/schema.js';
import { maskSecret } from './mask.js';
import { displayPath, envVarFor, isNixos, renderedStorePath, envEntry, instanceOf } from './options.js';
import { UNKNOWN, type GitHistory } from './gitHistory.js';

/** What the finding says about git: only what the history shows (gitHistory.ts). */
function historyText(file: string, h: GitHistory): string {
  switch (h.state) {
    case 'committed':
      return `It is in git history already (commit ${h.commit}): rotate it.`;
    case 'staged':
      return `It is not committed yet, but it is staged: remove it from the file and \`git add ${file}\` again before you commit, so that no commit ever holds it.`;
    case 'uncommitted':
      return 'It is not committed yet: move it out before you commit, so that no commit ever holds it (only the encrypted agenix/sops file belongs in git).';
    case 'no-git':
      return 'The flake is not in a git repository, so no commit holds it: move it out before you put the flake under git.';
    case 'unknown':
      return 'If it was ever committed, it is in git history too: then rotate it.';
  }
}

/** The end of every fix: rotate, and why. */
function rotateText(h: GitHistory): string {
  switch (h.state) {
    case 'committed':
      return `Then rotate it: it is in git history (commit ${h.commit}) and possibly in /nix/store, and removing it from the file removes it from neither.`;
    case 'unknown':
      return 'Then rotate it: it is possibly in /nix/store, and in git history if it was ever committed, and removing it from the file removes it from neither.';
    default:
      return 'Rotate it as well if Nix has evaluated the flake since the secret was written: it is then in /nix/store, and removing it from the file does not remove it from there.';
  }
}
const ROTATE = rotateText(UNKNOWN);

function secretName(envVar: string): string {
  return envVar.toLowerCase().replace(/_/g, '-');
}

/** The agenix rewrite for one option (sops-nix works the same with config.sops.secrets.<n>.path). */
export function fixFor(path: readonly string[], history: GitHistory = UNKNOWN): string {
  const opt = displayPath(path);
  const v = envVarFor(path);
  const s = secretName(v);
  const age = `age.secrets.${s}.file = ./secrets/${s}.age;`;
  const ref = `config.age.secrets.${s}.path`;
  const head = `Move the value out of the flake into agenix or sops-nix: \`${age}\``;
  const nixos = isNixos(path);
  const inst = instanceOf(path);
  const hmEnv = `programs.openclaw${inst === 'default' ? '' : `.instances.${inst}`}.environment.${v}`;
  const envLine = nixos ? `\`services.openclaw-gateway.environmentFiles = [ ${ref} ];\` (a file holding ${v}=…)` : `\`${hmEnv} = ${ref};\``;
  let how: string;
  if (envEntry(path) !== null) {
    const isHmEnv = !nixos && path[path.length - 2] === 'environment';
    how = isHmEnv
      ? `then \`${opt} = ${ref};\` (a path: the wrapper exports the file's contents at start).`
      : `then drop \`${opt}\` and use ${envLine}${nixos ? '' : " (a path: the wrapper exports the file's contents at start)"}.`;
  } else if (path.includes('telegram') && path.includes('channels')) {
    const base = opt.replace(/\.(?:botToken|token)$/, '');
    how = `then \`${base}.tokenFile = ${ref};\`.`;
  } else {
    how = `then \`${opt} = { source = "env"; provider = "default"; id = "${v}"; };\` with ${envLine}.`;
  }
  return `${head} ${how} ${rotateText(history)}`;
}

export function inlineSecretFinding(file: string, line: number, path: readonly string[], value: string, history: GitHistory = UNKNOWN): Finding {
  const { storePath, where } = renderedStorePath(path);
  return {
    code: 'secret-inline',
    severity: 'block',
    message: `${file}:${line}: \`${displayPath(path)}\` holds a live secret (${maskSecret(value)}). Building copies it into ${where}, and evaluating copies the source into /nix/store too. ${historyText(file, history)}`,
    fix: fixFor(path, history),
    file,
    line,
    storePath,
  };
}

export function placeholderFinding(file: string, line: number, path: readonly string[]): Finding {
  return {
    code: 'secret-placeholder',
    severity: 'warn',
    message: `${file}:${line}: \`${displayPath(path)}\` is set to a placeholder literal. The gateway will not authenticate with it, and a real value put here would land in the world-readable store.`,
    fix: fixFor(path),
    file,
    line,
    storePath: renderedStorePath(path).storePath,
  };
}

export function readFileFinding(file: string, line: number, path: readonly string[]): Finding {
  const { storePath, where } = renderedStorePath(path);
  return {
    code: 'secret-readfile',
    severity: 'block',
    message: `${file}:${line}: \`${displayPath(path)}\` uses builtins.readFile: the secret is read at evaluation time and written into ${where}.`,
    fix: fixFor(path),
    file,
    line,
    storePath,
  };
}

export function storeFileFinding(file: string, line: number, path: readonly string[], target: string): Finding {
  return {
    code: 'secret-file-in-store',
    severity: 'warn',
    message: `${file}:${line}: \`${displayPath(path)}\` points at the Nix path ${target}: a Nix path literal is copied into the world-readable store, so the secret file is not secret.`,
    fix: `Use a runtime path (a string such as "/run/agenix/…") or \`config.age.secrets.<name>.path\`, not a Nix path literal. ${ROTATE}`,
    file,
    line,
  };
}

/**
 * A token-shaped literal anywhere in a flake file (layer 1). `column` is given when the line
 * holds more than one secret: each is its own finding.
 */
export function tokenFinding(file: string, line: number, ruleId: string, value: string, history: GitHistory = UNKNOWN, column?: number): Finding {
  const storePath = `/nix/store/…-source/${file}`;
  const at = column === undefined ? '' : `, column ${column}`;
  return {
    code: 'secret-token',
    severity: 'block',
    message: `${file}:${line}: a token-shaped secret (${ruleId}, ${maskSecret(value)}${at}) is written in the flake source. Evaluating the flake copies the file into the world-readable store (${storePath}). ${historyText(file, history)}`,
    fix: `Delete it from the file and keep it in agenix or sops-nix (\`age.secrets.<name>.file = ./secrets/<name>.age;\`), referenced by \`config.age.secrets.<name>.path\` or an env SecretRef \`{ source = "env"; provider = "default"; id = "<VAR>"; }\`. ${rotateText(history)}`,
    file,
    line,
    storePath,
  };
}

/** A secret found in a built store file (second layer, after build). */
export function renderedFinding(storePath: string, line: number, what: string, value: string | null, severity: 'block' | 'warn' = 'block'): Finding {
  const shown = value === null ? '' : ` (${maskSecret(value)})`;
  return {
    code: 'secret-rendered',
    severity,
    message: `${storePath}:${line}: ${what}${shown}. Store files are readable by every user of the machine and copied to every host that receives the closure.`,
    fix: `Find the option in the flake that renders it (the source scan names it), move the value to agenix or sops-nix and reference its path or an env SecretRef. ${ROTATE}`,
    line,
    storePath,
  };
}
