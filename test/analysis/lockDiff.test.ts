import { describe, expect, it } from 'vitest';
import { diffLocks, parseLock, withStateDir, type FlakeLock } from '../../src/core/analysis/lockDiff.js';
import { fixture, lockText, REV10, REV11, reverseKeys, V10, V11 } from './helpers.js';

const lock = (name: string, edit?: (l: any) => void): FlakeLock => parseLock(lockText(name, edit), 'flake.lock');
const summaries = (r: ReturnType<typeof diffLocks>): string[] => r.changes.map((c) => c.summary);
const codes = (r: ReturnType<typeof diffLocks>): string[] => r.findings.map((f) => `${f.severity}:${f.code}`);

/** The OpenClaw input as a git URL pinned to a tag, as the stand-in fixture flakes lock it. */
function gitTag(l: any, tag: string, rev: string, lastModified: number): void {
  const url = 'https://github.com/openclaw/nix-openclaw.git';
  l.nodes['nix-openclaw'].locked = { lastModified, narHash: l.nodes['nix-openclaw'].locked.narHash, ref: `refs/tags/${tag}`, rev, revCount: 812, type: 'git', url };
  l.nodes['nix-openclaw'].original = { ref: `refs/tags/${tag}`, type: 'git', url };
}

describe('diffLocks: the OpenClaw input', () => {
  it('reports v2026.6.10 → v2026.6.11 as an upgrade with the mirrored release', () => {
    const r = diffLocks(lock(V10), lock(V11));
    expect(r.changes[0]).toEqual({
      kind: 'openclaw-version',
      summary: 'OpenClaw 2026.6.10 → 2026.6.11 (upgrade; nix-openclaw ceeb2ef → 910c1ce)',
      detail: {
        input: 'nix-openclaw',
        direction: 'upgrade',
        basis: 'version',
        from: {
          version: '2026.6.10',
          tag: 'v2026.6.10',
          ref: null,
          rev: REV10,
          narHash: 'sha256-hE7MCBZOLqsnY0qa3uGvplmeWJVw5xl4TggM50f8DkU=',
          date: '2026-06-28',
          release: 'https://github.com/openclaw/nix-openclaw/releases/tag/v2026.6.10',
        },
        to: {
          version: '2026.6.11',
          tag: 'v2026.6.11',
          ref: null,
          rev: REV11,
          narHash: 'sha256-hEtpxNVMwmS8La22u3D1O8Ejvq/A9Y2B7YzUoHwkpac=',
          date: '2026-07-01',
          release: 'https://github.com/openclaw/nix-openclaw/releases/tag/v2026.6.11',
        },
        release: 'https://github.com/openclaw/nix-openclaw/releases/tag/v2026.6.11',
      },
    });
    expect(r.findings).toEqual([
      {
        code: 'state-not-rolled-back',
        severity: 'info',
        message: 'OpenClaw changes (2026.6.10 → 2026.6.11): runtime state under ~/.openclaw (sessions, pairing, memory, credentials) is not rolled back with the generation',
        fix: 'back up ~/.openclaw before applying if a rollback must also restore state',
        file: 'flake.lock',
      },
    ]);
  });

  it('resolves follows: nixpkgs once (as nixpkgs), home-manager under its real path, no change for the root follows', () => {
    expect(summaries(diffLocks(lock(V10), lock(V11)))).toEqual([
      'OpenClaw 2026.6.10 → 2026.6.11 (upgrade; nix-openclaw ceeb2ef → 910c1ce)',
      'nixpkgs aa89335 (2026-06-20) → 7e26413 (2026-06-27)',
      'input nix-openclaw/home-manager: 23f8346 → 5573e39',
    ]);
    const np = diffLocks(lock(V10), lock(V11)).changes[1]!;
    expect(np.kind).toBe('nixpkgs');
    expect(np.detail).toMatchObject({
      from: { input: 'nix-openclaw/nixpkgs', rev: 'aa893358be4b506d8aeb52b29b8a9cacdd695b64', lastModified: 1781942400, date: '2026-06-20' },
      to: { input: 'nix-openclaw/nixpkgs', rev: '7e264138d0ca103b872057862b9b0359962ec5d2', lastModified: 1782581445, date: '2026-06-27' },
    });
  });

  it.each([
    ['downgrade by tag', V11, V10, undefined, 'OpenClaw 2026.6.11 → 2026.6.10 (downgrade; nix-openclaw 910c1ce → ceeb2ef)'],
    [
      'refs/tags/ refs on a git URL (no release link for the version, still by tag)',
      V10,
      V10,
      [(l: any) => gitTag(l, 'v2026.6.10', REV10, 1782655331), (l: any) => gitTag(l, 'v2026.6.11', REV11, 1782898887)],
      'OpenClaw 2026.6.10 → 2026.6.11 (upgrade; nix-openclaw ceeb2ef → 910c1ce)',
    ],
    [
      'calendar versions compared as numbers (2026.6.9 < 2026.6.10)',
      V10,
      V11,
      [(l: any) => (l.nodes['nix-openclaw'].original.ref = 'v2026.6.9'), undefined],
      'OpenClaw 2026.6.9 → 2026.6.11 (upgrade; nix-openclaw ceeb2ef → 910c1ce)',
    ],
    [
      'branch pins, ordered by commit date',
      V10,
      V11,
      [(l: any) => (l.nodes['nix-openclaw'].original.ref = 'main'), (l: any) => delete l.nodes['nix-openclaw'].original.ref],
      'OpenClaw untagged → untagged (newer commit; nix-openclaw ceeb2ef → 910c1ce)',
    ],
    [
      'the same tag re-pinned to another commit',
      V10,
      V11,
      [undefined, (l: any) => (l.nodes['nix-openclaw'].original.ref = 'v2026.6.10')],
      'OpenClaw 2026.6.10 (same version, re-pinned; nix-openclaw ceeb2ef → 910c1ce)',
    ],
  ])('%s', (_name, from, to, edits, summary) => {
    const r = diffLocks(lock(from, edits?.[0]), lock(to, edits?.[1]));
    expect(r.changes[0]?.summary).toBe(summary);
    // A downgrade warns (state written by the newer release); the rest are notes.
    expect(codes(r)).toContain(
      r.changes[0]?.summary.includes('downgrade') || /2026\.6\.11 → 2026\.6\.10/.test(r.changes[0]?.summary ?? '') ? 'warn:state-not-rolled-back' : 'info:state-not-rolled-back',
    );
  });

  it('recognises the input by owner/repo when it has another name', () => {
    const rename = (l: any) => {
      l.nodes.claw = l.nodes['nix-openclaw'];
      delete l.nodes['nix-openclaw'];
      l.nodes.root.inputs = { claw: 'claw', nixpkgs: ['claw', 'nixpkgs'] };
      l.nodes['home-manager'].inputs.nixpkgs = ['claw', 'nixpkgs'];
      l.nodes['nix-openclaw-tools'].inputs.nixpkgs = ['claw', 'nixpkgs'];
    };
    const r = diffLocks(lock(V10, rename), lock(V11, rename));
    expect(r.changes[0]?.summary).toBe('OpenClaw 2026.6.10 → 2026.6.11 (upgrade; claw ceeb2ef → 910c1ce)');
  });

  it('recognises a tarball URL and takes the tag from it', () => {
    const tarball = (tag: string, rev: string) => (l: any) => {
      l.nodes.oc = { ...l.nodes['nix-openclaw'] };
      delete l.nodes['nix-openclaw'];
      const url = `https://github.com/openclaw/nix-openclaw/archive/${tag}.tar.gz`;
      l.nodes.oc.locked = { lastModified: 1782655331, narHash: `sha256-${rev.slice(0, 43)}=`, type: 'tarball', url };
      l.nodes.oc.original = { type: 'tarball', url };
      l.nodes.root.inputs = { oc: 'oc' };
      l.nodes['home-manager'].inputs.nixpkgs = ['oc', 'nixpkgs'];
      l.nodes['nix-openclaw-tools'].inputs.nixpkgs = ['oc', 'nixpkgs'];
    };
    const r = diffLocks(lock(V10, tarball('v2026.6.10', REV10)), lock(V10, tarball('v2026.6.11', REV11)));
    expect(r.changes[0]?.summary).toMatch(/^OpenClaw 2026\.6\.10 → 2026\.6\.11 \(upgrade; oc sha256-ceeb2ef2… → sha256-910c1ce8…\)$/);
    expect(r.changes[0]?.detail?.release).toBe('https://github.com/openclaw/nix-openclaw/releases/tag/v2026.6.11');
  });

  it('reports nothing for the same lock, and no state finding without a change', () => {
    expect(diffLocks(lock(V11), lock(V11))).toEqual({ changes: [], findings: [] });
  });

  it('sees v2026.6.11 and refs/tags/v2026.6.11 at the same rev as the same pin', () => {
    const spelled = lock(V11, (l) => (l.nodes['nix-openclaw'].original.ref = 'refs/tags/v2026.6.11'));
    expect(diffLocks(lock(V11), spelled)).toEqual({ changes: [], findings: [] });
  });

  it('reports a branch swapped for a tag at the same rev, without a state finding', () => {
    const r = diffLocks(
      lock(V11, (l) => (l.nodes['nix-openclaw'].original.ref = 'main')),
      lock(V11),
    );
    expect(summaries(r)).toEqual(['OpenClaw untagged → 2026.6.11 (same commit, ref changed; nix-openclaw 910c1ce → 910c1ce)']);
    expect(r.findings).toEqual([]);
  });

  it('treats a missing base as a first deploy: root inputs added, nested inputs implied, follows not listed', () => {
    const r = diffLocks(null, lock(V11));
    expect(summaries(r)).toEqual(['OpenClaw 2026.6.11 added (nix-openclaw 910c1ce)', 'nixpkgs pinned at 7e26413 (2026-06-27)']);
    expect(r.findings).toEqual([]);
  });

  it('reports the OpenClaw input removed', () => {
    const drop = (l: any) => {
      delete l.nodes['nix-openclaw'];
      l.nodes.root.inputs = {};
    };
    expect(summaries(diffLocks(lock(V10), lock(V10, drop)))).toEqual(['OpenClaw input nix-openclaw removed (was 2026.6.10, ceeb2ef)', 'nixpkgs input removed']);
  });
});

describe('diffLocks: other inputs', () => {
  const agenix = (l: any) => {
    l.nodes.agenix = {
      locked: {
        lastModified: 1781517600,
        narHash: 'sha256-JApCN0+oHSRQhjgoKkFsRrL/fR3FKYcecVHl7v/XexM=',
        owner: 'ryantm',
        repo: 'agenix',
        rev: '4e436c8053f56559b1b98f9168983e4ddb504456',
        type: 'github',
      },
      original: { owner: 'ryantm', repo: 'agenix', type: 'github' },
    };
    l.nodes.root.inputs.agenix = 'agenix';
  };

  it.each([
    ['an input added', lock(V10), lock(V10, agenix), ['input agenix added (github:ryantm/agenix, 4e436c8)']],
    ['an input removed', lock(V10, agenix), lock(V10), ['input agenix removed (github:ryantm/agenix, 4e436c8)']],
    [
      'an input re-pinned',
      lock(V10, agenix),
      lock(V10, (l) => {
        agenix(l);
        l.nodes.agenix.locked.rev = '0fc65052334b15b610ad8abd5d303e1d1e85dbc1';
      }),
      ['input agenix: 4e436c8 → 0fc6505'],
    ],
    [
      'a nested input of the OpenClaw flake added',
      lock(V10),
      lock(V10, (l) => {
        l.nodes.systems_2 = JSON.parse(JSON.stringify(l.nodes.systems));
        l.nodes['nix-openclaw'].inputs.systems = 'systems_2';
      }),
      ['input nix-openclaw/systems added (github:nix-systems/default, da67096)'],
    ],
    [
      'a follows replaced by its own pin',
      lock(V10),
      lock(V10, (l) => {
        l.nodes['home-manager_2'] = JSON.parse(JSON.stringify(l.nodes['home-manager']));
        l.nodes['home-manager_2'].locked.rev = '0fc65052334b15b610ad8abd5d303e1d1e85dbc1';
        l.nodes.root.inputs['home-manager'] = 'home-manager_2';
      }),
      ['input home-manager now pinned at 0fc6505 (was following nix-openclaw/home-manager)'],
    ],
    [
      'a follows re-pointed',
      lock(V10),
      lock(V10, (l) => (l.nodes.root.inputs['home-manager'] = ['nix-openclaw', 'nix-openclaw-tools'])),
      ['input home-manager now follows nix-openclaw/nix-openclaw-tools (was nix-openclaw/home-manager)'],
    ],
    [
      'a source moved to a fork at the same rev',
      lock(V10),
      lock(V10, (l) => (l.nodes.qmd.original.owner = 'someone')),
      ['input nix-openclaw/qmd: 9bf579a → 9bf579a, source github:tobi/qmd/v2.1.0 → github:someone/qmd/v2.1.0'],
    ],
  ])('%s', (_name, base, next, want) => {
    expect(summaries(diffLocks(base, next))).toEqual(want);
  });

  it('never prints credentials from a git URL', () => {
    const priv = (rev: string) => (l: any) => {
      l.nodes.private = {
        locked: { lastModified: 1781517600, narHash: 'sha256-BbtfBFC9euhD7PCwpZaY/ZPYOjkwaG63z88z+7Ju3eQ=', rev, type: 'git', url: 'https://deploy:ghp_s3cr3tT0k3n@github.com/acme/secrets.git' },
        original: { type: 'git', url: 'https://deploy:ghp_s3cr3tT0k3n@github.com/acme/secrets.git' },
      };
      l.nodes.root.inputs.private = 'private';
    };
    const r = diffLocks(lock(V10, priv(REV10)), lock(V10, priv(REV11)));
    expect(summaries(r)).toEqual(['input private: ceeb2ef → 910c1ce']);
    expect(JSON.stringify(r)).not.toContain('s3cr3t');
    expect(JSON.stringify(diffLocks(lock(V10), lock(V10, priv(REV11))))).not.toContain('s3cr3t');
  });
});

describe('diffLocks: findings', () => {
  it.each([
    [
      'a path input without narHash',
      (l: any) => {
        l.nodes.local = { locked: { path: '/home/me/src/claw-extras', type: 'path' }, original: { path: '/home/me/src/claw-extras', type: 'path' } };
        l.nodes.root.inputs.local = 'local';
      },
      'input local (path:/home/me/src/claw-extras) is not pinned to a revision or content hash: the build cannot be reproduced',
    ],
    [
      'an indirect ref left in the lock',
      (l: any) => {
        l.nodes.reg = { locked: { id: 'nixpkgs', type: 'indirect' }, original: { id: 'nixpkgs', type: 'indirect' } };
        l.nodes.root.inputs.reg = 'reg';
      },
      'input reg (flake:nixpkgs) is not pinned to a revision or content hash: the build cannot be reproduced',
    ],
    ['a github node without a rev', (l: any) => delete l.nodes.qmd.locked.rev, 'input nix-openclaw/qmd (github:tobi/qmd) is not pinned to a revision or content hash: the build cannot be reproduced'],
    [
      'a node with nothing locked',
      (l: any) => delete l.nodes.systems.locked,
      'input nix-openclaw/flake-utils/systems (github:nix-systems/default) is not pinned to a revision or content hash: the build cannot be reproduced',
    ],
  ])('warns input-unpinned for %s', (_name, edit, message) => {
    const r = diffLocks(null, lock(V11, edit));
    expect(r.findings).toEqual([expect.objectContaining({ code: 'input-unpinned', severity: 'warn', message, file: 'flake.lock' })]);
  });

  it('accepts a path input that has a narHash (pinned by content)', () => {
    const r = diffLocks(null, parseLock(fixture('stand-in-f1.flake.lock'), 'flake.lock'));
    expect(r.findings).toEqual([]);
    expect(summaries(r)).toEqual(['OpenClaw 2026.6.10 added (nix-openclaw 05a8a2e)']);
  });

  it('warns dirty-tree when the working tree has uncommitted changes', () => {
    expect(diffLocks(lock(V11), lock(V11), { dirty: true }).findings).toEqual([
      {
        code: 'dirty-tree',
        severity: 'warn',
        message: 'the working tree has uncommitted changes: the deployed revision cannot be reproduced from git',
        fix: 'commit (or stash) the changes before deploying',
      },
    ]);
    expect(diffLocks(lock(V11), lock(V11), { dirty: false }).findings).toEqual([]);
  });

  it('orders findings warn before info', () => {
    expect(codes(diffLocks(lock(V10), lock(V11), { dirty: true }))).toEqual(['warn:dirty-tree', 'info:state-not-rolled-back']);
  });
});

describe('diffLocks: determinism', () => {
  it('gives byte-identical JSON for the same input, whatever the key order of the lock', () => {
    const a = JSON.stringify(diffLocks(lock(V10), lock(V11), { dirty: true }));
    const b = JSON.stringify(diffLocks(lock(V10), lock(V11), { dirty: true }));
    const shuffled = (name: string) => parseLock(JSON.stringify(reverseKeys(JSON.parse(fixture(name)))), 'flake.lock');
    expect(a).toBe(b);
    expect(JSON.stringify(diffLocks(shuffled(V10), shuffled(V11), { dirty: true }))).toBe(a);
  });
});

describe('state that a generation does not roll back', () => {
  it('a downgrade warns: state written by the newer release may not load in the older one, and says what to back up', () => {
    const r = diffLocks(lock(V11), lock(V10));
    const f = r.findings.find((x) => x.code === 'state-not-rolled-back')!;
    expect(f.severity).toBe('warn');
    expect(f.message).toMatch(/downgraded \(2026\.6\.11 → 2026\.6\.10\).*may not load in the older one/);
    expect(f.fix).toMatch(/back up ~\/\.openclaw \(with the gateway stopped\)/);
  });
  it("names the host's own state directory when it has one", () => {
    const f = withStateDir(
      diffLocks(lock(V10), lock(V11)).findings.find((x) => x.code === 'state-not-rolled-back')!,
      '/srv/openclaw-state',
    );
    expect(f.severity).toBe('info');
    expect(f.message).toMatch(/under \/srv\/openclaw-state \(sessions/);
    expect(f.message).not.toMatch(/~\/\.openclaw/);
  });
});
