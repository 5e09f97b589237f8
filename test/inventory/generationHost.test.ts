// What is checked for a generation comes from its rendered config: port, channels, plugins.
import { describe, expect, it } from 'vitest';
import { hostAsConfigured } from '../../src/core/inventory/generationHost.js';
import { testHost } from '../helpers/testHost.js';

const host = testHost({
  channels: ['telegram', 'discord'],
  runtimePlugins: ['discord'],
  healthChecks: {
    http: [
      { path: '/healthz', port: 18789 },
      { path: '/metrics', port: 9100 },
    ],
  },
});

describe('hostAsConfigured', () => {
  it('takes the port, channels and runtime plugins of the generation; checks of the gateway port move with it', () => {
    const h = hostAsConfigured(host, { gateway: { port: 18800 }, channels: { telegram: { tokenFile: '/x' }, slack: { enabled: false } }, plugins: { load: { paths: [] } } });
    expect(h.gateway.port).toBe(18800);
    expect(h.healthChecks.http).toEqual([
      { path: '/healthz', port: 18800 },
      { path: '/metrics', port: 9100 },
    ]);
    expect(h.channels).toEqual(['telegram']);
    expect(h.runtimePlugins).toEqual([]);
    expect(h.name).toBe(host.name);
  });

  it.each([
    ['no config', null],
    ['not an object', [1, 2]],
  ])('leaves the host as it is with %s', (_what, config) => {
    expect(hostAsConfigured(host, config)).toBe(host);
  });

  it.each([0, 70000, 1.5, '18800'])('keeps the declared port when the config port is %s', (port) => {
    expect(hostAsConfigured(host, { gateway: { port } }).gateway.port).toBe(18789);
  });
});
