// Ordinary deploy-log lines: Nix build output, journal lines, gateway logs, flake.lock JSON.
import { type Rng, HEX } from './rng.js';
import { storePath, sri, gitRev, uuid, cachePublicKey } from './public.js';

const ts = (r: Rng): string => `Jul 01 12:${String(r.int(0, 59)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}`;
const iso = (r: Rng): string => `2026-07-01T12:${String(r.int(0, 59)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}.${r.int(100, 999)}Z`;

type Line = (r: Rng) => string | string[];

const nix: Line[] = [
  (r) => `copying path '${storePath(r)}' from 'https://cache.nixos.org'...`,
  (r) => `building '${storePath(r)}.drv'...`,
  (r) => [`these ${r.int(2, 40)} derivations will be built:`, `  ${storePath(r)}.drv`, `  ${storePath(r)}.drv`],
  (r) =>
    `[${r.int(0, 9)}/${r.int(0, 3)}/${r.int(10, 40)} built, ${r.int(1, 90)}/0/${r.int(90, 200)} copied (${r.int(1, 99)}.${r.int(0, 9)}/130.2 MiB), 3.1/30.0 MiB DL] fetching openclaw-gateway-2026.6.11 from https://cache.nixos.org`,
  (r) => `shrinking RPATHs of ELF executables and libraries in ${storePath(r)}`,
  (r) => `checking for references to /build/ in ${storePath(r)}...`,
  (r) => `stripping (with command strip and flags -S -p) in  ${storePath(r)}/lib ${storePath(r)}/bin`,
  () => `warning: Git tree '/home/deploy/flake' is dirty`,
  () => `evaluating derivation 'git+file:///home/deploy/flake#homeConfigurations.staging.activationPackage'`,
  (r) => [`error: hash mismatch in fixed-output derivation '${storePath(r)}.drv':`, `         specified: ${sri(r)}`, `            got:    ${sri(r)}`],
  (r) => `unpacking 'github:openclaw/nix-openclaw/${gitRev(r)}' into the Git cache...`,
  () => `trusted-public-keys = ${cachePublicKey} cache.garnix.io:CTFPyKSLcx5RMJKfLo5EEPUObbA78b0YQ2DTCJXqr9g=`,
  (r) => `• Updated input 'nix-openclaw':\n    'github:openclaw/nix-openclaw/${gitRev(r)}?narHash=${encodeURIComponent(sri(r))}' (2026-06-30)`,
  (r) => `Activating linkGeneration\nCreating profile generation ${r.int(2, 90)}\nCreating home file links in /home/deploy`,
  () => `patching script interpreter paths in /build/source/dist`,
  (r) => `added ${r.int(100, 900)} packages, and audited ${r.int(900, 1200)} packages in ${r.int(2, 40)}s`,
];

const journalLines: Line[] = [
  (r) => `${ts(r)} staging systemd[${r.int(1000, 5000)}]: Started OpenClaw gateway (openclaw-gateway).`,
  (r) => `${ts(r)} staging systemd[${r.int(1000, 5000)}]: openclaw-gateway.service: Consumed ${r.int(1, 9)}.${r.int(100, 999)}s CPU time, ${r.int(50, 400)}M memory peak.`,
  (r) => `${ts(r)} staging systemd[1]: Reloading requested from client PID ${r.int(1000, 99999)} ('systemctl') (unit session-${r.int(1, 40)}.scope)...`,
  (r) => `${ts(r)} staging sshd[${r.int(1000, 99999)}]: Accepted publickey for deploy from 10.0.0.${r.int(2, 250)} port ${r.int(30000, 60000)} ssh2: ED25519 SHA256:${'x'.repeat(0)}${r.str(HEX, 16)}`,
  (r) => `${ts(r)} staging openclaw-gateway[${r.int(1000, 99999)}]: [gateway] listening on ws://127.0.0.1:18789 (auth: token)`,
  (r) => `${ts(r)} staging openclaw-gateway[${r.int(1000, 99999)}]: [telegram] polling started, allowFrom=12345678`,
  (r) => `INVOCATION_ID=${r.str(HEX, 32)}`,
];

const gateway: Line[] = [
  (r) => `{"time":"${iso(r)}","level":"info","subsystem":"gateway","msg":"listening","port":18789,"bind":"loopback"}`,
  (r) => `{"time":"${iso(r)}","level":"info","subsystem":"telegram","msg":"bot connected","botId":${r.int(100000000, 999999999)},"username":"staging_bot"}`,
  (r) => `{"time":"${iso(r)}","level":"debug","subsystem":"session","msg":"message","sessionId":"${uuid(r)}","channel":"telegram","chatId":12345678}`,
  (r) => `{"time":"${iso(r)}","level":"info","subsystem":"plugins","msg":"plugin loaded","plugin":"discord","path":"${storePath(r)}/lib/index.js"}`,
  (r) =>
    `{"time":"${iso(r)}","level":"warn","subsystem":"models","msg":"slow response","provider":"anthropic","model":"claude-sonnet-4","ms":${r.int(900, 9000)},"usage":{"input_tokens":${r.int(100, 9000)},"output_tokens":${r.int(10, 900)}}}`,
  (r) => `{"time":"${iso(r)}","level":"info","subsystem":"auth","msg":"client authenticated","mode":"token","client":"cli"}`,
  (r) => `{"time":"${iso(r)}","level":"info","subsystem":"config","msg":"loaded","path":"/home/deploy/.openclaw/openclaw.json","target":"${storePath(r)}"}`,
];

const lock: Line = (r) => [
  `    "nix-openclaw": {`,
  `      "locked": {`,
  `        "lastModified": ${r.int(1700000000, 1760000000)},`,
  `        "narHash": "${sri(r)}",`,
  `        "owner": "openclaw",`,
  `        "repo": "nix-openclaw",`,
  `        "rev": "${gitRev(r)}",`,
  `        "type": "github"`,
  `      },`,
];

/** One ordinary line (or a few that belong together), split on embedded newlines. */
export function noise(r: Rng): string[] {
  const x = r.next();
  const gen = x < 0.45 ? r.pick(nix) : x < 0.7 ? r.pick(journalLines) : x < 0.95 ? r.pick(gateway) : lock;
  const out = gen(r);
  return (Array.isArray(out) ? out : [out]).flatMap((l) => l.split('\n'));
}
