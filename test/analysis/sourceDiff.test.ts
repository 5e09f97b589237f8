import { describe, expect, it } from 'vitest';
import { diffSources } from '../../src/core/analysis/sourceDiff.js';

const FLAKE_V10 = `{
  description = "F1: one staging host running OpenClaw with Home Manager";
  inputs.nix-openclaw.url = "github:openclaw/nix-openclaw/v2026.6.10";
  inputs.nixpkgs.follows = "nix-openclaw/nixpkgs";
  outputs = { self, nix-openclaw, ... }: {
    homeConfigurations.staging = import ./hosts/staging.nix { inherit nix-openclaw; };
  };
}
`;
const FLAKE_V11 = FLAKE_V10.replace('v2026.6.10', 'v2026.6.11');
const STAGING = `{ nix-openclaw }:
{
  programs.openclaw = {
    enable = true;
    config.gateway.mode = "local";
    config.channels.telegram.tokenFile = "/run/agenix/telegram-staging";
  };
}
`;
const STAGING_DISCORD = STAGING.replace('    enable = true;\n', '    enable = true;\n    runtimePlugins = [ "discord" ];\n    environment.DISCORD_BOT_TOKEN = "/run/agenix/discord-bot-token";\n');

describe('diffSources', () => {
  it('writes a git-style unified diff for a changed .nix file', () => {
    const r = diffSources({ 'flake.nix': FLAKE_V10 }, { 'flake.nix': FLAKE_V11 });
    expect(r.patches).toEqual([
      {
        file: 'flake.nix',
        added: 1,
        removed: 1,
        patch: [
          '--- a/flake.nix',
          '+++ b/flake.nix',
          '@@ -1,6 +1,6 @@',
          ' {',
          '   description = "F1: one staging host running OpenClaw with Home Manager";',
          '-  inputs.nix-openclaw.url = "github:openclaw/nix-openclaw/v2026.6.10";',
          '+  inputs.nix-openclaw.url = "github:openclaw/nix-openclaw/v2026.6.11";',
          '   inputs.nixpkgs.follows = "nix-openclaw/nixpkgs";',
          '   outputs = { self, nix-openclaw, ... }: {',
          '     homeConfigurations.staging = import ./hosts/staging.nix { inherit nix-openclaw; };',
          '',
        ].join('\n'),
      },
    ]);
    expect(r.changes).toEqual([{ kind: 'source', summary: 'flake.nix changed (+1 −1)', detail: { file: 'flake.nix', status: 'changed', added: 1, removed: 1 } }]);
  });

  it.each([
    [
      'added and removed files, sorted by path; other files ignored',
      { 'flake.nix': FLAKE_V10, 'hosts/old.nix': '{ }\n', 'README.md': 'a\n' },
      { 'flake.nix': FLAKE_V10, 'hosts/staging.nix': STAGING, 'README.md': 'b\n', 'workspace/SOUL.md': 'x\n' },
      ['hosts/old.nix removed (+0 −1)', 'hosts/staging.nix added (+8 −0)'],
    ],
    [
      'flake.lock named but not patched',
      { 'flake.nix': FLAKE_V10, 'flake.lock': '{"version":7}' },
      { 'flake.nix': FLAKE_V11, 'flake.lock': '{"version":7} ' },
      ['flake.lock changed', 'flake.nix changed (+1 −1)'],
    ],
    ['identical trees', { 'flake.nix': FLAKE_V10 }, { 'flake.nix': FLAKE_V10 }, []],
    ['a channel plugin added to a host file', { 'hosts/staging.nix': STAGING }, { 'hosts/staging.nix': STAGING_DISCORD }, ['hosts/staging.nix changed (+2 −0)']],
  ])('%s', (_name, base, next, summaries) => {
    const r = diffSources(base, next);
    expect(r.changes.map((c) => c.summary)).toEqual(summaries);
    expect(r.patches.map((p) => p.file)).toEqual(r.changes.filter((c) => !String(c.detail?.file).endsWith('flake.lock')).map((c) => c.detail?.file));
  });

  it('uses /dev/null for the missing side of an added or removed file', () => {
    const r = diffSources({ 'old.nix': '{ }\n' }, { 'new.nix': '{ }\n' });
    expect(r.patches.map((p) => p.patch.split('\n').slice(0, 2))).toEqual([
      ['--- /dev/null', '+++ b/new.nix'],
      ['--- a/old.nix', '+++ /dev/null'],
    ]);
  });

  it('passes every patch line through redact, so no secret leaves in a diff', () => {
    const token = '123456789:AAEfakefakefakefakefakefakefakefake';
    const next = STAGING.replace('tokenFile = "/run/agenix/telegram-staging"', `botToken = "${token}"`);
    const seen: string[] = [];
    const redact = (s: string): string => {
      seen.push(s);
      return s.replaceAll(token, '[redacted]');
    };
    const r = diffSources({ 'hosts/staging.nix': STAGING }, { 'hosts/staging.nix': next }, { redact });
    expect(JSON.stringify(r)).not.toContain('AAEfake');
    expect(r.patches[0]?.patch).toContain('+    config.channels.telegram.botToken = "[redacted]";');
    expect(seen).toContain('--- a/hosts/staging.nix');
    expect(r.patches[0]?.added).toBe(1);
  });

  it('accepts a Map or a plain object, and gives byte-identical output', () => {
    const base = { 'hosts/staging.nix': STAGING, 'flake.nix': FLAKE_V10 };
    const next = { 'flake.nix': FLAKE_V11, 'hosts/staging.nix': STAGING_DISCORD };
    const a = JSON.stringify(diffSources(base, next));
    expect(JSON.stringify(diffSources(new Map(Object.entries(base).reverse()), new Map(Object.entries(next))))).toBe(a);
    expect(JSON.stringify(diffSources(base, next))).toBe(a);
  });
});
