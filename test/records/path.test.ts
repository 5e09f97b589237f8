import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRecords, statePath } from '../../src/core/records/index.js';
import { tempDir } from './helpers.js';

describe('where the ledger lives', () => {
  it('prefers CLAWDEPLOY_STATE_DIR, then XDG_STATE_HOME, then ~/.local/state', () => {
    const env = { CLAWDEPLOY_STATE_DIR: '/srv/claw', XDG_STATE_HOME: '/xdg', HOME: '/home/alice' };
    expect(statePath(env)).toBe('/srv/claw/records.db');
    expect(statePath({ ...env, CLAWDEPLOY_STATE_DIR: '' })).toBe('/xdg/clawdeploy/records.db');
    expect(statePath({ XDG_STATE_HOME: '/xdg', HOME: '/home/alice' })).toBe('/xdg/clawdeploy/records.db');
    expect(statePath({ HOME: '/home/alice' })).toBe('/home/alice/.local/state/clawdeploy/records.db');
    // The XDG spec: a relative value is invalid and ignored.
    expect(statePath({ XDG_STATE_HOME: 'rel/state', HOME: '/home/alice' })).toBe('/home/alice/.local/state/clawdeploy/records.db');
    expect(statePath({ CLAWDEPLOY_STATE_DIR: 'rel', HOME: '/h' })).toBe(join(process.cwd(), 'rel', 'records.db'));
  });

  describe('with the process environment', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const k of ['CLAWDEPLOY_STATE_DIR', 'XDG_STATE_HOME', 'HOME'] as const) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    });

    it('opens the default file, creating its directory 0700', () => {
      const home = tempDir();
      delete process.env.CLAWDEPLOY_STATE_DIR;
      delete process.env.XDG_STATE_HOME;
      process.env.HOME = home;
      expect(statePath()).toBe(join(home, '.local/state/clawdeploy/records.db'));
      openRecords().close();
      expect(existsSync(join(home, '.local/state/clawdeploy/records.db'))).toBe(true);
      expect(statSync(join(home, '.local/state/clawdeploy')).mode & 0o777).toBe(0o700);

      process.env.XDG_STATE_HOME = join(home, 'xdg');
      openRecords().close();
      expect(existsSync(join(home, 'xdg/clawdeploy/records.db'))).toBe(true);

      process.env.CLAWDEPLOY_STATE_DIR = join(home, 'own');
      openRecords().close();
      expect(existsSync(join(home, 'own/records.db'))).toBe(true);
    });
  });
});
