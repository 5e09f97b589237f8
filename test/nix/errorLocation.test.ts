// nixErrorLocation: the file and line of a Nix error, as a path of the flake when Nix quotes the
// flake's own file (it names its store copy), else as Nix gives it (an input's file).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nixErrorLocation } from '../../src/core/nix/errorLocation.js';

const flake = mkdtempSync(join(tmpdir(), 'clawdeploy-nixerr-'));
afterAll(() => rmSync(flake, { recursive: true, force: true }));
writeFileSync(join(flake, 'flake.nix'), ['{', '  outputs = { self }: {', '    x = 1', '    y = 2;', '  };', '}', ''].join('\n'));

const STORE = '/nix/store/nf9jly3bkx6mca414n7ln6y6x370h30p-source';
/** What Nix 2.8 prints for a syntax error (colours included). */
const stderr = (root: string, file: string, quoted: string) =>
  [
    "warning: Git tree '/src/flake' is dirty",
    "\x1b[31;1merror:\x1b[0m syntax error, unexpected '=', expecting ';'",
    '',
    `       at \x1b[35;1m${root}/${file}:4:7\x1b[0m:`,
    '',
    '            3|     x = 1',
    `            4|${quoted}`,
    '             |       ^',
  ].join('\n');

describe('where a Nix error is', () => {
  it("names the flake's own file by its path in the flake", () => {
    expect(nixErrorLocation(stderr(STORE, 'flake.nix', '    y = 2;'), flake)).toBe('flake.nix:4:7');
    expect(nixErrorLocation(stderr('«git+file:///src/flake»', 'flake.nix', '    y = 2;'), flake)).toBe('flake.nix:4:7');
  });

  it("keeps the store path for an input's file, even one with the same name", () => {
    expect(nixErrorLocation(stderr(STORE, 'flake.nix', '    other = 2;'), flake)).toBe(`${STORE}/flake.nix:4:7`);
    expect(nixErrorLocation(stderr(STORE, 'modules/openclaw.nix', '    y = 2;'), flake)).toBe(`${STORE}/modules/openclaw.nix:4:7`);
  });

  it('is null when Nix gives no position', () => {
    expect(nixErrorLocation('error: staging host is misconfigured', flake)).toBeNull();
  });
});
