import { describe, expect, it } from 'vitest';
import { compareVersions, tagVersion, versionTag } from '../../src/core/analysis/version.js';

describe('versionTag', () => {
  it.each([
    ['v2026.6.11', 'v2026.6.11'],
    ['refs/tags/v2026.6.11', 'v2026.6.11'],
    ['2026.6.11', '2026.6.11'],
    ['v2026.7.1-beta.2', 'v2026.7.1-beta.2'],
    ['main', null],
    ['nixos-unstable', null],
    ['refs/heads/main', null],
    [undefined, null],
  ])('%s → %s', (ref, tag) => {
    expect(versionTag(ref)).toBe(tag);
  });

  it('strips the v from a tag', () => {
    expect(tagVersion('v2026.6.11')).toBe('2026.6.11');
  });
});

describe('compareVersions', () => {
  it.each([
    ['2026.6.10', '2026.6.11', -1],
    ['2026.6.11', '2026.6.10', 1],
    ['2026.6.9', '2026.6.10', -1], // numeric, not string, order
    ['2026.10.1', '2026.9.30', 1],
    ['2026.6.11', '2026.6.11', 0],
    ['2026.6', '2026.6.0', 0],
    ['2026.7.1-beta.2', '2026.7.1', -1],
  ])('%s vs %s → %i', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
  });
});
