import { describe, expect, it } from 'vitest';
import { isSecretOptionPath, maskSecret } from '../../src/core/secrets/index.js';
import { nixBindings } from '../../src/core/secrets/nixWalk.js';

describe('isSecretOptionPath', () => {
  it.each([
    ['gateway.auth.token', true],
    ['gateway.auth.password', true],
    ['programs.openclaw.config.gateway.remote.token', true],
    ['channels.telegram.botToken', true],
    ['channels.discord.token', true],
    ['channels.slack.appToken', true],
    ['channels.slack.signingSecret', true],
    ['channels.telegram.accounts.main.botToken', true],
    ['models.providers.groq.apiKey', true],
    ['tools.web.search.apiKey', true],
    ['env.vars.ANTHROPIC_API_KEY', true],
    ['programs.openclaw.environment.GROQ_API_KEY', true],
    ['programs.openclaw.instances.prod.environment.DISCORD_BOT_TOKEN', true],
    ['services.openclaw-gateway.environment.OPENAI_API_KEY', true],
    ['gateway.auth.mode', false],
    ['gateway.auth.token.source', false],
    ['gateway.auth.token.id', false],
    ['channels.telegram.tokenFile', false],
    ['env.vars.NODE_ENV', false],
    ['programs.openclaw.environment.OPENCLAW_LOG_LEVEL', false],
    ['programs.openclaw.environment.TOKEN_FILE', false],
    ['services.nginx.environment.API_KEY', false],
    ['token', false],
  ])('%s -> %s', (p, want) => {
    expect(isSecretOptionPath(p.split('.'))).toBe(want);
  });
});

describe('maskSecret', () => {
  it.each([
    ['123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0', '1234…'],
    ['hunter2hunter', 'hu…'],
    ['short', '…'],
  ])('%s -> %s', (v, want) => {
    expect(maskSecret(v)).toBe(want);
  });
});

describe('nixBindings', () => {
  it('tracks paths through braces, dotted names, quoted names, lets, lists and function calls', () => {
    const src = [
      '{ config, ... }:', // 1
      'let', // 2
      '  helper = { token = "a"; };', // 3
      'in {', // 4
      '  outputs = { self }: {', // 5
      '    homeConfigurations.x = hm.lib.homeManagerConfiguration {', // 6
      '      modules = [ mod { programs.openclaw.config.channels."my-chan".token = "b"; } ];', // 7
      '    };', // 8
      '  };', // 9
      '  "quoted.name".inner = lib.mkIf true { deep = \'\'', // 10
      '    multi', // 11
      "  ''; };", // 12
      '  /* a { comment } */ after = "c"; # trailing { ', // 13
      '}', // 14
    ].join('\n');
    const got = nixBindings(src)
      .filter((b) => b.kind === 'string')
      .map((b) => [b.path.join('.'), b.value, b.line]);
    expect(got).toEqual([
      ['helper.token', 'a', 3],
      ['outputs.homeConfigurations.x.modules.programs.openclaw.config.channels.my-chan.token', 'b', 7],
      ['quoted.name.inner.deep', 'multi\n', 10],
      ['after', 'c', 13],
    ]);
  });
});
