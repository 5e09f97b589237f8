import { describe, expect, it } from 'vitest';
import { scanSources, scanSourcesSync } from '../../src/core/secrets/index.js';
import { Finding } from '../../src/core/plan/schema.js';

const TG = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const HEX48 = '3f2a9c4b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e';
const OAI = 'sk-proj-FAKEab12CD34ef56GH78ij90KL12mn34';

/** Line numbers are 1-based positions in these sources: keep them in sync with the text. */
const NESTED = `{ config, pkgs, ... }:
{
  programs.openclaw = {
    enable = true;
    config = {
      gateway = {
        mode = "local";
        auth = {
          token = "${HEX48}";
        };
      };
      channels = {
        telegram = {
          botToken = "${TG}";
          allowFrom = [ 12345678 ];
        };
      };
    };
  };
}
`;

const DOTTED = `{ config, ... }: {
  config.programs.openclaw.config.gateway.auth.token = "${HEX48}";
  programs.openclaw.config.channels.telegram.botToken = lib.mkForce "${TG}";
  programs.openclaw.instances.prod.config.models.providers.openai.apiKey = "${OAI}";
  services.openclaw-gateway.environment.OPENAI_API_KEY = "${OAI}";
  services.openclaw-gateway.config.env.vars.ANTHROPIC_API_KEY = "plain-but-secret-value";
}
`;

const SAFE = `{ config, ... }:
{
  age.secrets.telegram-bot.file = ./secrets/telegram-bot.age;
  age.secrets.gateway-token.file = ./secrets/gateway-token.age;
  programs.openclaw = {
    environment = {
      OPENCLAW_GATEWAY_TOKEN = config.age.secrets.gateway-token.path;
      ANTHROPIC_API_KEY = "/run/agenix/anthropic";
      DISCORD_BOT_TOKEN = "\${config.age.secrets.discord.path}";
      LOG_LEVEL = "debug";
    };
    config = {
      gateway.auth.token = { source = "env"; provider = "default"; id = "OPENCLAW_GATEWAY_TOKEN"; };
      channels.telegram = { tokenFile = config.age.secrets.telegram-bot.path; allowFrom = [ 12345678 ]; };
      channels.discord.token = { source = "env"; provider = "default"; id = "DISCORD_BOT_TOKEN"; };
      models.providers.anthropic.apiKey = { source = "env"; provider = "default"; id = "ANTHROPIC_API_KEY"; };
    };
  };
  services.openclaw-gateway.environmentFiles = [ config.sops.secrets."openclaw.env".path ];
}
`;

const LOCK = JSON.stringify(
  { nodes: { 'nix-openclaw': { locked: { narHash: 'sha256-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcde=', rev: '910c1ce89e6a6c7574ab97d3935afbe5310b5db7', type: 'github' } } } },
  null,
  2,
);

const at = (fs: Finding[], line: number): Finding | undefined => fs.find((f) => f.line === line);

describe('scanSources', () => {
  it('nested attrsets: finds the literal token and bot token on their lines', async () => {
    const fs = await scanSources([{ path: 'hosts/staging.nix', content: NESTED }]);
    expect(fs.map((f) => [f.line, f.code, f.severity])).toEqual([
      [9, 'secret-inline', 'block'],
      [14, 'secret-inline', 'block'],
    ]);
    expect(at(fs, 9)!.message).toContain('programs.openclaw.config.gateway.auth.token');
    expect(at(fs, 14)!.message).toContain('channels.telegram.botToken');
    expect(at(fs, 14)!.fix).toContain('channels.telegram.tokenFile = config.age.secrets.');
    expect(at(fs, 14)!.storePath).toBe('/nix/store/…-openclaw-default.json');
    for (const f of fs) expect(f.file).toBe('hosts/staging.nix');
  });

  it('dotted paths, mkForce, instances and NixOS: right lines, store files and fixes', async () => {
    const fs = await scanSources([{ path: 'flake.nix', content: DOTTED }]);
    expect(fs.map((f) => [f.line, f.code])).toEqual([
      [2, 'secret-inline'],
      [3, 'secret-inline'],
      [4, 'secret-inline'],
      [5, 'secret-inline'],
      [6, 'secret-inline'],
    ]);
    expect(at(fs, 4)!.storePath).toBe('/nix/store/…-openclaw-prod.json');
    expect(at(fs, 4)!.fix).toContain('programs.openclaw.instances.prod.environment.OPENAI_API_KEY');
    expect(at(fs, 5)!.fix).toContain('services.openclaw-gateway.environmentFiles');
    expect(at(fs, 6)!.message).toContain('/etc/openclaw/openclaw.json');
    expect(at(fs, 6)!.message).toContain('0644');
    expect(at(fs, 2)!.fix).toMatch(/\{ source = "env"; provider = "default"; id = "OPENCLAW_GATEWAY_TOKEN"; \}/);
  });

  it('messages and fixes never contain the secret, only a short masked prefix', async () => {
    const fs = await scanSources([
      { path: 'flake.nix', content: DOTTED },
      { path: 'hosts/staging.nix', content: NESTED },
    ]);
    for (const f of fs) {
      for (const s of [TG, HEX48, OAI, 'plain-but-secret-value']) {
        expect(`${f.message} ${f.fix}`).not.toContain(s);
        expect(`${f.message} ${f.fix}`).not.toContain(s.slice(0, 8));
      }
      expect(() => Finding.parse(f)).not.toThrow();
      expect(f.fix).toMatch(/rotate/i);
    }
    expect(
      at(
        fs.filter((f) => f.file === 'hosts/staging.nix'),
        14,
      )!.message,
    ).toContain('1234…');
  });

  it('SecretRefs, agenix/sops paths and flake.lock give no finding', async () => {
    const fs = await scanSources([
      { path: 'flake.nix', content: SAFE },
      { path: 'flake.lock', content: LOCK },
    ]);
    expect(fs).toEqual([]);
  });

  it('a placeholder at a secret option is a warning, not a block', async () => {
    const src = `{\n  programs.openclaw.config.gateway.auth.token = "<gatewayToken>";\n  programs.openclaw.config.channels.slack.appToken = "changeme";\n}\n`;
    const fs = await scanSources([{ path: 'flake.nix', content: src }]);
    expect(fs.map((f) => [f.line, f.code, f.severity])).toEqual([
      [2, 'secret-placeholder', 'warn'],
      [3, 'secret-placeholder', 'warn'],
    ]);
  });

  it('token-shaped literals anywhere (let bindings, comments, other files) are blocked', async () => {
    const src = `let\n  t = "${TG}";\nin {\n  # old key: ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\n  x = t;\n}\n`;
    const fs = await scanSources([
      { path: 'lib/tokens.nix', content: src },
      { path: 'README.md', content: `token: ${OAI}\n` },
    ]);
    expect(fs.map((f) => [f.file, f.line, f.code])).toEqual([
      ['lib/tokens.nix', 2, 'secret-token'],
      ['lib/tokens.nix', 4, 'secret-token'],
      ['README.md', 1, 'secret-token'],
    ]);
    expect(fs[0]!.storePath).toBe('/nix/store/…-source/lib/tokens.nix');
  });

  it('readFile and Nix path literals of secrets are flagged', async () => {
    const src = `{\n  programs.openclaw.config.gateway.auth.token = builtins.readFile ./token.txt;\n  programs.openclaw.config.channels.telegram.tokenFile = ./telegram-token;\n}\n`;
    const fs = await scanSources([{ path: 'flake.nix', content: src }]);
    expect(fs.map((f) => [f.line, f.code, f.severity])).toEqual([
      [2, 'secret-readfile', 'block'],
      [3, 'secret-file-in-store', 'warn'],
    ]);
  });

  it('secretlint covers formats our rules do not know (lazily loaded)', async () => {
    const src = `{\n  publish.credential = "npm_abcdefghijklmnopqrstuvwxyzABCDEF0123";\n}\n`;
    expect(scanSourcesSync([{ path: 'flake.nix', content: src }])).toEqual([]);
    const fs = await scanSources([{ path: 'flake.nix', content: src }]);
    expect(fs.map((f) => [f.line, f.code, f.severity])).toEqual([[2, 'secret-token', 'block']]);
    expect(fs[0]!.message).toContain('secretlint-npm');
    expect(await scanSources([{ path: 'flake.nix', content: src }], { secretlint: false })).toEqual([]);
  });
});
