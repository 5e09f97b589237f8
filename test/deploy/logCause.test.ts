import { describe, expect, it } from 'vitest';
import { troubleLines } from '../../src/core/deploy/logCause.js';

describe("the gateway's own words for a failed validation", () => {
  const since = new Date('2026-12-02T14:55:00Z');
  it('takes the trouble lines logged since the activation, without colours, oldest first', () => {
    const log = [
      '2026-12-02T14:50:00.000Z [gateway] channel discord: failed: an older start, not this one',
      '\x1b[90m2026-12-02T14:55:22.845+00:00\x1b[39m \x1b[36m[gateway]\x1b[39m \x1b[36mstarting...\x1b[39m',
      '2026-12-02T14:55:23.000Z [gateway] channel discord: failed: token: env DISCORD_BOT_TOKEN is not set',
      '  at some stack line without a time',
      '\x1b[90m2026-12-02T14:55:32.095+00:00\x1b[39m \x1b[34m[telegram]\x1b[39m \x1b[31m[default] getMe returned 401 Unauthorized\x1b[39m',
    ].join('\n');
    expect(troubleLines(log, since)).toEqual(['[gateway] channel discord: failed: token: env DISCORD_BOT_TOKEN is not set', '[telegram] [default] getMe returned 401 Unauthorized']);
  });
  it('nothing when the log has no trouble since then', () => {
    expect(troubleLines('2026-12-02T14:56:00Z [gateway] ready\n', since)).toEqual([]);
  });
});
