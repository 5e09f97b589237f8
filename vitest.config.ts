import { defineConfig } from 'vitest/config';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The inventory eval cache of every test run starts empty and stays out of the user's ~/.cache.
const cacheDir = join(tmpdir(), 'clawdeploy-test-cache');
rmSync(cacheDir, { recursive: true, force: true });
// Nix for the tests, per process: flakes on, offline (no binary caches, an empty registry). The
// machine's nix.conf is never edited (what a fresh Debian machine has: only sandbox = false).
const registry = join(tmpdir(), 'clawdeploy-empty-registry.json');
writeFileSync(registry, '{"flakes":[],"version":2}\n');
const NIX_CONFIG = `experimental-features = nix-command flakes\nsubstituters =\nflake-registry = ${registry}`;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Real Nix builds and SSH hosts share one /nix and the machine's namespaces:
    // run test files one at a time so hosts and profiles never collide.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { CLAWDEPLOY_CACHE_DIR: cacheDir, NIX_CONFIG },
  },
});
