import { defineConfig } from 'vitest/config';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The inventory eval cache of every test run starts empty and stays out of the user's ~/.cache.
const cacheDir = join(tmpdir(), 'clawdeploy-test-cache');
rmSync(cacheDir, { recursive: true, force: true });

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Real Nix builds and SSH hosts share one /nix and the machine's namespaces:
    // run test files one at a time so hosts and profiles never collide.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { CLAWDEPLOY_CACHE_DIR: cacheDir },
  },
});
