// Issue 10 #2: after a port change, what is checked comes from the generation being validated
// (its rendered config), never from the flake's working tree. Generation 1 listens on port A,
// generation 2 on port B; rollback, drill and the automatic rollback must check port A when
// generation 1 runs, though the flake says B.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/demo/fixtures.js';
import { useLocalHosts, type LocalHost } from '../helpers/localHost.js';
import { printed } from '../helpers/cli.js';

const { make } = useLocalHosts({ extraVersions: [{ version: '2026.6.12', broken: true }] });

/** Edits the host's flake.nix in place (the working tree an operator would have). */
function editFlake(h: LocalHost, edit: (text: string) => string): void {
  const file = join(h.flake.dir, 'flake.nix');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

describe('checks follow the port of the generation being validated', () => {
  it('rollback and drill check generation 1 on its own port after generation 2 moved the gateway', async () => {
    const h = await make('f1-single-staging', { seed: true });
    const portA = h.flake.vars['GATEWAY_PORT_staging']!;
    const portB = String(await freePort());
    editFlake(h, (t) => t.replace(`gatewayPort = ${portA};`, `gatewayPort = ${portB};`));
    const up = await h.cli('apply', 'staging', '--yes');
    expect(up.code, printed(up)).toBe(0);
    expect(up.stdout).toMatch(/generation 2 is healthy/);

    // The flake still says port B; generation 1 listens on A.
    const back = await h.cli('rollback', 'staging', '--yes');
    expect(back.code, printed(back)).toBe(0);
    expect(printed(back)).toContain('rolled staging back to generation 1, which is healthy');
    // "Health now" is generation 2 on B; what is verified after the switch is generation 1 on A.
    expect(printed(back)).toContain(`GET /readyz on port ${portB}: 200`);
    const verified = printed(back)
      .split('\n')
      .filter((l) => /validation attempt \d+:/.test(l))
      .join('\n');
    expect(verified).not.toContain(`port ${portB}`);

    // Generation 1 is current now: drill goes back to 2 (port B) and forward to 1 (port A).
    const drill = await h.cli('drill', 'staging', '--yes', '--deadline', '60');
    expect(drill.code, printed(drill)).toBe(0);
  }, 300_000);

  it('the automatic rollback after a failed deploy checks the previous generation on its own port', async () => {
    // F6 bumps OpenClaw to a release whose gateway cannot start; here it also moves the port.
    const h = await make('f6-bump-broken', { seed: true });
    const portA = h.flake.vars['GATEWAY_PORT_staging']!;
    const portC = String(await freePort());
    editFlake(h, (t) => t.replace(`gatewayPort = ${portA};`, `gatewayPort = ${portC};`));
    const r = await h.cli('apply', 'staging', '--yes', '--deadline', '20');
    expect(r.code, printed(r)).toBe(1);
    expect(printed(r)).toMatch(/rolled back to generation 1, which is healthy/);
    expect(printed(r)).toContain(`GET /readyz on port ${portA}: 200`);
  }, 300_000);
});
