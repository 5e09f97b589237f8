// Public values that look random: they must come out of the redactor byte-identical.
import { type Rng, HEX, NIX32, BECH32, B64 } from './rng.js';

const NAMES = [
  'openclaw-gateway-2026.6.11',
  'nodejs-22.12.0',
  'source',
  'openclaw-default.json',
  'home-manager-generation',
  'glibc-2.40-66',
  'openclaw-runtime-plugin-discord-0.4.2',
  'hm_openclawopenclaw.json',
  'unit-openclaw-gateway.service',
  'sk-proj-tools-Abc123defGhi456jklMno',
];

export const storeHash = (r: Rng): string => r.str(NIX32, 32);
export const storePath = (r: Rng): string => `/nix/store/${storeHash(r)}-${r.pick(NAMES)}`;
export const sri = (r: Rng): string => `sha256-${r.str(B64, 43)}=`;
export const base32Hash = (r: Rng): string => `sha256:${r.str(NIX32, 52)}`;
export const gitRev = (r: Rng): string => r.str(HEX, 40);
export const ageRecipient = (r: Rng): string => `age1${r.str(BECH32, 58)}`;
export const uuid = (r: Rng): string => `${r.str(HEX, 8)}-${r.str(HEX, 4)}-4${r.str(HEX, 3)}-a${r.str(HEX, 3)}-${r.str(HEX, 12)}`;
export const sshPublicKey = (r: Rng): string => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r.str(B64, 43)} deploy@staging`;
export const cachePublicKey = 'cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=';

export type PublicKind = 'store-path' | 'sri-hash' | 'base32-hash' | 'git-rev' | 'age-recipient' | 'uuid' | 'ssh-public-key';

/** A line holding one public value, often right next to a secret-sounding name. */
export function publicLine(r: Rng, kind: PublicKind): { line: string; value: string } {
  switch (kind) {
    case 'store-path': {
      const v = storePath(r);
      return r.pick([
        { line: `copying path '${v}' from 'https://cache.nixos.org'...`, value: v },
        { line: `OPENCLAW_TOKEN_FILE=${v}`, value: v },
        { line: `  "tokenFile": "${v}",`, value: v },
      ]);
    }
    case 'sri-hash': {
      const v = sri(r);
      return r.pick([
        { line: `        "narHash": "${v}",`, value: v },
        { line: `  got:    ${v}`, value: v },
      ]);
    }
    case 'base32-hash': {
      const v = base32Hash(r);
      return { line: `path '${storePath(r)}' has hash '${v}'`, value: v };
    }
    case 'git-rev': {
      const v = gitRev(r);
      return r.pick([
        { line: `        "rev": "${v}",`, value: v },
        { line: `unpacking 'github:openclaw/nix-openclaw/${v}' into the Git cache...`, value: v },
      ]);
    }
    case 'age-recipient': {
      const v = ageRecipient(r);
      return r.pick([
        { line: `  publicKeys = [ "${v}" ];`, value: v },
        { line: `AGE_PUBLIC_KEY=${v}`, value: v },
      ]);
    }
    case 'uuid': {
      const v = uuid(r);
      return r.pick([
        { line: `{"level":"debug","subsystem":"session","msg":"session started","sessionId":"${v}"}`, value: v },
        { line: `_BOOT_ID=${v}`, value: v },
        { line: `{"msg":"pairing","token":"${v}"}`, value: v },
      ]);
    }
    case 'ssh-public-key': {
      const v = sshPublicKey(r);
      return r.pick([
        { line: v, value: v },
        { line: `SSH_KEY=${v}`, value: v },
      ]);
    }
  }
}

export const PUBLIC_KINDS: readonly PublicKind[] = ['store-path', 'sri-hash', 'base32-hash', 'git-rev', 'age-recipient', 'uuid', 'ssh-public-key'];
