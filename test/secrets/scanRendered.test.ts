import { describe, expect, it } from 'vitest';
import { scanRendered } from '../../src/core/secrets/index.js';

const HEX48 = '3f2a9c4b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e';

describe('scanRendered', () => {
  it('finds a literal gateway token in a rendered openclaw.json and names the store file', async () => {
    const storePath = '/nix/store/0c5k5jf2h2q8mhw8m2n8ydm8yjmbq6k6-openclaw-default.json';
    const content = JSON.stringify(
      {
        gateway: { mode: 'local', auth: { mode: 'token', token: HEX48 } },
        channels: { telegram: { tokenFile: '/run/agenix/telegram', allowFrom: [12345678] }, discord: { token: { source: 'env', provider: 'default', id: 'DISCORD_BOT_TOKEN' } } },
        models: { providers: { openai: { apiKey: 'changeme' } } },
      },
      null,
      2,
    );
    const fs = await scanRendered([{ storePath, content }]);
    expect(fs.map((f) => [f.line, f.code, f.severity, f.storePath])).toEqual([
      [6, 'secret-rendered', 'block', storePath],
      [27, 'secret-rendered', 'warn', storePath],
    ]);
    expect(fs[0]!.message).toContain('gateway.auth.token');
    expect(fs[0]!.message).not.toContain(HEX48.slice(0, 8));
  });

  it('finds token-shaped values in units and wrapper scripts', async () => {
    const unit = '[Service]\nEnvironment="OPENCLAW_NIX_MODE=1"\nEnvironment="OPENAI_API_KEY=sk-proj-FAKEab12CD34ef56GH78ij90KL12mn34"\n';
    const fs = await scanRendered([{ storePath: '/nix/store/x-unit-openclaw-gateway.service/openclaw-gateway.service', content: unit }]);
    expect(fs.map((f) => [f.line, f.code])).toEqual([[3, 'secret-rendered']]);
  });

  it('a clean closure gives nothing', async () => {
    const content = JSON.stringify({
      gateway: { mode: 'local', auth: { token: { source: 'env', provider: 'default', id: 'OPENCLAW_GATEWAY_TOKEN' } } },
      plugins: { load: { paths: ['/nix/store/0c5k5jf2h2q8mhw8m2n8ydm8yjmbq6k6-plugin'] } },
    });
    expect(await scanRendered([{ storePath: '/nix/store/a-openclaw-default.json', content }])).toEqual([]);
  });
});
