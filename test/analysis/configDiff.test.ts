import { describe, expect, it } from 'vitest';
import { diffOpenclawConfig } from '../../src/core/analysis/configDiff.js';
import { UserError } from '../../src/core/errors.js';
import { reverseKeys } from './helpers.js';

const PLUGIN_DIR = '/nix/store/3i6ad7l0a2hvk862qd69xawd2awqwqzb-openclaw-runtime-plugin-discord-2026.6.11';
const TELEGRAM_TOKEN = '123456789:AAEfakefakefakefakefakefakefakefake';
const LITERAL_KEY = 'sk-ant-api03-FAKEFAKEFAKEFAKEFAKE';

/** openclaw.json as the F1 staging host renders it (gateway.port is added by the module). */
function f1(): Record<string, any> {
  return {
    agents: { defaults: { skipBootstrap: true, workspace: '/root/.openclaw/workspace' } },
    channels: { telegram: { allowFrom: [12345678], tokenFile: '/run/agenix/telegram-staging' } },
    gateway: {
      auth: { mode: 'token', token: { id: 'OPENCLAW_GATEWAY_TOKEN', provider: 'default', source: 'env' } },
      mode: 'local',
      port: 18789,
    },
    models: { providers: { anthropic: { apiKey: { id: 'ANTHROPIC_API_KEY', provider: 'default', source: 'env' } } } },
  };
}

/** F4: discord added with its runtime plugin, loaded through plugins.load.paths. */
function f4(): Record<string, any> {
  const c = f1();
  c.channels.discord = { enabled: true, token: { id: 'DISCORD_BOT_TOKEN', provider: 'default', source: 'env' } };
  c.plugins = { load: { paths: [PLUGIN_DIR] } };
  return c;
}

const edit = (fn: (c: Record<string, any>) => void, base = f1()) => (fn(base), base);
const summaries = (r: ReturnType<typeof diffOpenclawConfig>) => r.changes.map((c) => c.summary);
const codes = (r: ReturnType<typeof diffOpenclawConfig>) => r.findings.map((f) => `${f.severity}:${f.code}`);

describe('diffOpenclawConfig: changes', () => {
  it.each([
    ['identical configs', f1(), f1(), undefined, []],
    [
      'F4: discord added with its runtime plugin',
      f1(),
      f4(),
      { current: [], next: ['discord'] },
      ['channel discord added', 'runtime plugins: added discord', 'plugins.load.paths: added openclaw-runtime-plugin-discord-2026.6.11'],
    ],
    ['a channel disabled at creation', f1(), edit((c) => (c.channels.slack = { enabled: false, mode: 'socket' })), undefined, ['channel slack added (disabled)']],
    [
      'gateway port, bind and auth mode',
      f1(),
      edit((c) => {
        c.gateway.port = 18790;
        c.gateway.bind = 'lan';
        c.gateway.auth.mode = 'password';
        c.gateway.reload = { mode: 'hybrid' };
      }),
      undefined,
      ['gateway.auth.mode: token → password', 'gateway.bind set to lan', 'gateway.port: 18789 → 18790', 'gateway settings changed: reload.mode added'],
    ],
    [
      'channel keys, with secrets named but never shown',
      edit((c) => (c.channels.telegram.botToken = TELEGRAM_TOKEN)),
      edit((c) => {
        c.channels.telegram.allowFrom = [12345678, 87654321];
        c.channels.telegram.tokenFile = '/run/agenix/telegram-prod';
        c.channels.telegram.botToken = `${TELEGRAM_TOKEN}x`;
        c.channels.telegram.groups = { '-1001234567890': { requireMention: true } };
      }),
      undefined,
      ['channel telegram changed: allowFrom, botToken changed, groups.-1001234567890.requireMention added, tokenFile now /run/agenix/telegram-prod'],
    ],
    [
      'a channel token moved to an env SecretRef, and a channel turned off',
      edit((c) => (c.channels.discord = { enabled: true, token: 'MTAfake.discord.token' }), f4()),
      edit((c) => (c.channels.discord.enabled = false), f4()),
      undefined,
      ['channel discord changed: now disabled, token now env:DISCORD_BOT_TOKEN'],
    ],
    [
      'channel removed',
      f4(),
      f1(),
      { current: ['discord'], next: [] },
      ['channel discord removed', 'runtime plugins: removed discord', 'plugins.load.paths: removed openclaw-runtime-plugin-discord-2026.6.11'],
    ],
    ['plugin rebuilt (same name, new store hash)', f4(), edit((c) => (c.plugins.load.paths = [PLUGIN_DIR.replace('3i6ad7l0', '7maka86l')]), f4()), undefined, ['plugins.load.paths: 1 rebuilt']],
    [
      'model providers added, removed and changed',
      edit((c) => (c.models.providers.openai = { apiKey: LITERAL_KEY })),
      edit((c) => {
        c.models.providers.anthropic.baseUrl = 'https://api.anthropic.com';
        c.models.providers.groq = { apiKey: { id: 'GROQ_API_KEY', provider: 'default', source: 'env' }, api: 'openai-completions' };
        c.models.default = 'anthropic/claude-sonnet-4';
      }),
      undefined,
      ['model provider anthropic changed: baseUrl added', 'model provider groq added', 'model provider openai removed', 'model settings changed: default added'],
    ],
    [
      'other top-level keys, summarised by key',
      f1(),
      edit((c) => {
        c.agents.defaults.workspace = '/srv/openclaw/workspace';
        c.agents.defaults.model = 'anthropic/claude-sonnet-4';
        c.logging = { level: 'debug' };
        c.env = { vars: { ANTHROPIC_API_KEY: LITERAL_KEY } };
      }),
      undefined,
      ['other settings changed: agents (2 keys), env (1 key), logging (1 key)'],
    ],
  ])('%s', (_name, current, next, runtimePlugins, want) => {
    const r = diffOpenclawConfig(current, next, { runtimePlugins });
    expect(summaries(r)).toEqual(want);
    expect(JSON.stringify(r)).not.toMatch(/AAEfake|FAKEFAKE|MTAfake/);
  });

  it('treats no current config as a first deploy: everything is added', () => {
    const r = diffOpenclawConfig(null, f4(), { runtimePlugins: { current: [], next: ['discord'] } });
    expect(summaries(r)).toEqual([
      'gateway.auth.mode set to token',
      'gateway.mode set to local',
      'gateway.port set to 18789',
      'gateway settings changed: auth.token now env:OPENCLAW_GATEWAY_TOKEN',
      'channel discord added',
      'channel telegram added',
      'runtime plugins: added discord',
      'plugins.load.paths: added openclaw-runtime-plugin-discord-2026.6.11',
      'model provider anthropic added',
      'other settings changed: agents (2 keys)',
    ]);
    expect(r.changes.find((c) => c.summary === 'channel telegram added')?.detail).toEqual({
      section: 'channels',
      channel: 'telegram',
      action: 'added',
      keys: ['allowFrom', 'tokenFile'],
    });
    expect(r.findings).toEqual([]);
  });

  it('never shows a literal gateway token, even on first deploy', () => {
    const r = diffOpenclawConfig(
      null,
      edit((c) => (c.gateway.auth.token = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed')),
    );
    expect(summaries(r)).toContain('gateway settings changed: auth.token set');
    expect(JSON.stringify(r)).not.toContain('f00dfeed');
  });

  it('passes every value it shows through redact', () => {
    const redact = (s: string) => s.replaceAll('agenix', '[r]');
    const r = diffOpenclawConfig(
      f1(),
      edit((c) => (c.channels.telegram.tokenFile = '/run/agenix/telegram-prod')),
      { redact },
    );
    expect(summaries(r)).toEqual(['channel telegram changed: tokenFile now /run/[r]/telegram-prod']);
  });

  it('rejects a next config that is not an object', () => {
    expect(() => diffOpenclawConfig(null, [])).toThrow(UserError);
    expect(() => diffOpenclawConfig(null, 'x')).toThrow('openclaw.json (new generation): expected a JSON object');
  });

  it('is deterministic: key order of either config does not change the output', () => {
    const opts = { runtimePlugins: { current: ['slack'], next: ['discord', 'slack'] } };
    const a = JSON.stringify(diffOpenclawConfig(f1(), f4(), opts));
    expect(JSON.stringify(diffOpenclawConfig(reverseKeys(f1()), reverseKeys(f4()), opts))).toBe(a);
    expect(JSON.stringify(diffOpenclawConfig(f1(), f4(), { runtimePlugins: { current: ['slack'], next: ['slack', 'discord'] } }))).toBe(a);
  });
});

describe('diffOpenclawConfig: findings', () => {
  const noDiscordPlugin = () => edit((c) => delete c.plugins, f4());

  it('blocks a plugin channel whose runtime plugin is missing (F4 negative)', () => {
    const r = diffOpenclawConfig(f1(), noDiscordPlugin(), { runtimePlugins: { current: [], next: [] } });
    expect(r.findings).toEqual([
      {
        code: 'channel-plugin-missing',
        severity: 'block',
        message: 'channel discord is configured but its runtime plugin "discord" is not loaded (not in programs.openclaw.runtimePlugins), so the channel will not start',
        fix: 'programs.openclaw.runtimePlugins = [ "discord" ];',
      },
    ]);
  });

  it.each([
    ['telegram (built in)', f1(), { current: [], next: [] }, []],
    ['the plugin listed', noDiscordPlugin(), { current: [], next: ['discord'] }, []],
    ['the plugin found in plugins.load.paths', f4(), undefined, []],
    ['the channel disabled', edit((c) => (c.channels.discord.enabled = false), noDiscordPlugin()), { current: [], next: [] }, []],
    [
      'two channels missing, one plugin present',
      edit((c) => ((c.channels.slack = { mode: 'socket' }), (c.channels.whatsapp = {})), noDiscordPlugin()),
      { current: [], next: ['discord'] },
      [
        'channel-plugin-missing slack programs.openclaw.runtimePlugins = [ "discord" "slack" "whatsapp" ];',
        'channel-plugin-missing whatsapp programs.openclaw.runtimePlugins = [ "discord" "slack" "whatsapp" ];',
      ],
    ],
  ])('no missing plugin for %s unless listed', (_name, next, runtimePlugins, want) => {
    const r = diffOpenclawConfig(f1(), next, { runtimePlugins });
    expect(r.findings.map((f) => `${f.code} ${/channel (\w+)/.exec(f.message)?.[1]} ${f.fix}`)).toEqual(want);
  });

  it('blocks a config without gateway.mode (nix-openclaw #72)', () => {
    const r = diffOpenclawConfig(
      f1(),
      edit((c) => delete c.gateway.mode),
    );
    expect(codes(r)).toEqual(['block:gateway-mode-unset']);
    expect(r.findings[0]?.message).toContain('the gateway refuses to start');
    expect(summaries(r)).toEqual(['gateway.mode: local → unset']);
  });

  it('tells the user that a removed channel keeps its state on the host', () => {
    const r = diffOpenclawConfig(f4(), f1());
    expect(r.findings).toEqual([
      {
        code: 'channel-state-kept',
        severity: 'info',
        message: 'channel discord is removed from the config, but its state on the host (pairing, sessions, credentials under the state directory) stays',
        fix: 'delete the discord state from the OpenClaw state directory by hand if it should go',
      },
    ]);
  });

  it('orders block findings first', () => {
    const next = edit((c) => delete c.gateway.mode, noDiscordPlugin());
    const r = diffOpenclawConfig(
      edit((c) => (c.channels.slack = {}), f4()),
      next,
      { runtimePlugins: { current: [], next: [] } },
    );
    expect(codes(r)).toEqual(['block:channel-plugin-missing', 'block:gateway-mode-unset', 'info:channel-state-kept']);
  });

  it('warns, and compares as a first deploy, when the current config is not an object', () => {
    const r = diffOpenclawConfig('garbage', f1());
    expect(codes(r)).toEqual(['warn:current-config-unreadable']);
    expect(summaries(r)).toContain('channel telegram added');
  });
});
