import { describe, expect, it } from 'vitest';
import { selectHosts } from '../../src/core/fleet/select.js';
import { isUserError } from '../../src/core/errors.js';
import { testHost } from '../helpers/testHost.js';

// Inventory order as loadInventory gives it: clawdeploy.hosts by name, then deploy-rs nodes
// (`node.profile` when a node has several profiles, else the node's name).
const FLEET = [
  testHost({ name: 'eu-north', tags: ['eu', 'canary'] }),
  testHost({ name: 'eu-west', tags: ['eu', 'edge'] }),
  testHost({ name: 'lab' }), // made in code: no tags at all
  testHost({ name: 'us-east', tags: ['edge'] }),
  testHost({ name: 'edge1.openclaw', source: 'deploy.nodes', tags: ['edge', 'canary'] }),
  testHost({ name: 'edge1.system', source: 'deploy.nodes', tags: ['edge', 'canary'] }),
  testHost({ name: 'edge2', source: 'deploy.nodes', tags: [] }),
];
const ALL = 'eu-north, eu-west, lab, us-east, edge1.openclaw, edge1.system, edge2';

const names = (selector: string) => selectHosts(selector, FLEET).map((h) => h.name);

/** The one-line message and exit code of what selectHosts throws. */
function failure(selector: string, hosts = FLEET): { message: string; exitCode: number } {
  try {
    selectHosts(selector, hosts);
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { message: e.message, exitCode: e.exitCode };
  }
  throw new Error(`selector '${selector}' was accepted`);
}

describe('selectHosts: what a selector selects', () => {
  it.each([
    // plain names match exactly
    ['lab', ['lab']],
    ['edge2', ['edge2']],
    ['edge1.system', ['edge1.system']],
    // tags
    ['@edge', ['eu-west', 'us-east', 'edge1.openclaw', 'edge1.system']],
    ['@canary', ['eu-north', 'edge1.openclaw', 'edge1.system']],
    // globs over names: *, ?, classes (ranges and negation with ! or ^)
    ['eu-*', ['eu-north', 'eu-west']],
    ['*', FLEET.map((h) => h.name)],
    ['edge1.*', ['edge1.openclaw', 'edge1.system']],
    ['*.system', ['edge1.system']],
    ['edge?', ['edge2']],
    ['edge[0-9]*', ['edge1.openclaw', 'edge1.system', 'edge2']],
    ['eu-[!w]*', ['eu-north']],
    ['eu-[^w]*', ['eu-north']],
    ['[lu]*', ['lab', 'us-east']],
    // several terms: a union in inventory order, each host once
    ['eu-*,@canary', ['eu-north', 'eu-west', 'edge1.openclaw', 'edge1.system']],
    ['edge2,lab', ['lab', 'edge2']],
    ['lab,lab,l*', ['lab']],
    ['@edge,@canary,edge1.system', ['eu-north', 'eu-west', 'us-east', 'edge1.openclaw', 'edge1.system']],
    // spaces around terms are the shell's, not the selector's
    [' eu-west , @canary ', ['eu-north', 'eu-west', 'edge1.openclaw', 'edge1.system']],
  ])('%j -> %j', (selector, expected) => {
    expect(names(selector)).toEqual(expected);
  });

  it('returns the inventory objects themselves', () => {
    expect(selectHosts('lab', FLEET)[0]).toBe(FLEET[2]);
  });
});

describe('selectHosts: bad selectors are one-line errors naming the term (exit 2)', () => {
  it.each([
    // empty
    ['', /^--on: empty selector \(/],
    ['  ', /^--on: empty selector \(/],
    [',', /^--on: empty selector \(/],
    ['a,,b', /^--on 'a,,b': empty term /],
    ['lab,', /^--on 'lab,': empty term /],
    // a term that matches nothing: the names or tags there are
    ['eu-*x', new RegExp(`^--on: 'eu-\\*x' matches no host \\(hosts: ${ALL.replace(/\./g, '\\.')}\\)$`)],
    ['edge1', /^--on: 'edge1' matches no host \(hosts: /], // a node with several profiles is no host itself
    ['Lab', /^--on: 'Lab' matches no host/], // names are case-sensitive
    ['lab,nope', /^--on: 'nope' matches no host/],
    ['@nope', /^--on: '@nope' matches no host \(tags: canary, edge, eu\)$/],
    // malformed terms
    ['@', /^--on: '@' is not a valid tag /],
    ['@-x', /^--on: '@-x' is not a valid tag /],
    ['@eu,@bad tag', /^--on: '@bad tag' is not a valid tag /],
    ['eu-[', /^--on: 'eu-\[' is not a host name, glob or @tag /],
    ['eu-]', /^--on: 'eu-\]' is not a host name, glob or @tag /],
    ['eu-[]', /^--on: 'eu-\[\]' is not a host name, glob or @tag /],
    ['{eu,us}-*', /^--on: '\{eu' is not a host name, glob or @tag /], // no braces: the comma separates terms
    ['+(eu|us)-*', /^--on: '\+\(eu\|us\)-\*' is not a host name, glob or @tag /],
    ['**/eu', /^--on: '\*\*\/eu' is not a host name, glob or @tag /],
    ['eu west', /^--on: 'eu west' is not a host name, glob or @tag /],
    // a malformed term is reported even after one that matches nothing
    ['nope,eu-[', /^--on: 'eu-\[' is not a host name, glob or @tag /],
    // control characters stay escaped: the message is one line
    ['a\nb', /^--on: 'a\\nb' is not a host name, glob or @tag /],
  ])('%j', (selector, pattern) => {
    const f = failure(selector);
    expect(f.exitCode).toBe(2);
    expect(f.message).toMatch(pattern);
    expect(f.message).not.toContain('\n');
  });

  it('an empty inventory: any term matches no host, and says so', () => {
    expect(failure('lab', []).message).toBe("--on: 'lab' matches no host (hosts: none)");
    expect(failure('@edge', []).message).toBe("--on: '@edge' matches no host (no host has tags)");
  });
});
