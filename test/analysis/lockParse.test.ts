import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { parseLock } from '../../src/core/analysis/lockDiff.js';
import { fixture, lockText, V10 } from './helpers.js';

function errorOf(text: string, file = 'flake.lock'): UserError {
  try {
    parseLock(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('parseLock accepted a malformed lock');
}

describe('parseLock', () => {
  it('accepts the fixture locks and the real lock Nix 2.8 wrote for the stand-in flake', () => {
    for (const name of [V10, 'openclaw-v2026.6.11.flake.lock', 'stand-in-f1.flake.lock']) {
      const lock = parseLock(fixture(name), name);
      expect(lock.version).toBe(7);
      expect(lock.nodes[lock.root]?.inputs?.['nix-openclaw']).toBe('nix-openclaw');
    }
  });

  it.each([
    ['not JSON', '{"nodes": {', /^flake\.lock: not valid JSON \(.+\)$/],
    ['a JSON array', '[]', /^flake\.lock: expected an object$/],
    ['an old lock version', lockText(V10, (l) => (l.version = 5)), /^flake\.lock: version: expected 7$/],
    ['no nodes', lockText(V10, (l) => delete l.nodes), /^flake\.lock: nodes: is missing$/],
    ['locked is a string', lockText(V10, (l) => (l.nodes['nix-openclaw'].locked = 'github:openclaw/nix-openclaw')), /^flake\.lock: nodes\.nix-openclaw\.locked: expected an object$/],
    ['locked without a type', lockText(V10, (l) => delete l.nodes['nix-openclaw'].locked.type), /^flake\.lock: nodes\.nix-openclaw\.locked\.type: is missing$/],
    ['lastModified as a string', lockText(V10, (l) => (l.nodes.nixpkgs.locked.lastModified = '1781942400')), /^flake\.lock: nodes\.nixpkgs\.locked\.lastModified: expected a number$/],
    [
      'an input naming a missing node',
      lockText(V10, (l) => (l.nodes.root.inputs['nix-openclaw'] = 'nix-openclaw_2')),
      /^flake\.lock: nodes\.root\.inputs\.nix-openclaw: node "nix-openclaw_2" does not resolve$/,
    ],
    [
      'a follows that goes nowhere',
      lockText(V10, (l) => (l.nodes.root.inputs.nixpkgs = ['nix-openclaw', 'nixpkgs-stable'])),
      /^flake\.lock: nodes\.root\.inputs\.nixpkgs: follows path "nix-openclaw\/nixpkgs-stable" does not resolve$/,
    ],
    ['a root that is not a node', lockText(V10, (l) => (l.root = 'top')), /^flake\.lock: root: names node "top", which is not in nodes$/],
    ['an input that is a number', lockText(V10, (l) => (l.nodes.root.inputs.nixpkgs = 7)), /^flake\.lock: nodes\.root\.inputs\.nixpkgs: expected a node name or a follows path/],
  ])('rejects %s, naming the file and the field', (_name, text, message) => {
    const e = errorOf(text);
    expect(e.message).toMatch(message);
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain('\n');
  });

  it('puts the file name the caller gives first', () => {
    expect(errorOf('{', '/srv/flake/flake.lock').message).toMatch(/^\/srv\/flake\/flake\.lock: /);
  });

  it('ignores nodes the root cannot reach, as Nix does', () => {
    const text = lockText(V10, (l) => (l.nodes.stale = { inputs: { nixpkgs: ['gone', 'nixpkgs'] } }));
    expect(parseLock(text, 'flake.lock').nodes.stale).toBeDefined();
  });

  it('quotes node names that are not plain words', () => {
    const text = lockText(V10, (l) => {
      l.nodes['my.input'] = { locked: 42 };
      l.nodes.root.inputs['my.input'] = 'my.input';
    });
    expect(errorOf(text).message).toBe('flake.lock: nodes["my.input"].locked: expected an object');
  });
});
