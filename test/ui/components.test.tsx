// The interface's pieces, rendered with ink-testing-library: step states, the confirm prompt
// (y runs, n declines, production needs the typed host name), the health table, the findings.
import { describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { StepList, HealthTable, Findings } from '../../src/ui/components/Panels.js';
import { ConfirmPrompt } from '../../src/ui/components/ConfirmPrompt.js';
import type { StepRow } from '../../src/ui/session/state.js';
import { plan, press, request, until, NEXT } from './fixtures.js';

const row = (id: string, label: string, state: StepRow['state'], phase: StepRow['phase'] = 'apply'): StepRow => ({ id, action: label, label, risk: 'mutate', phase, state, ms: 1200 });

describe('StepList', () => {
  it('shows every state with its mark, and the rollback under its own heading', () => {
    const { lastFrame } = render(
      <StepList
        steps={[
          row('a', 'build', 'done'),
          row('b', 'set-profile', 'running'),
          row('c', 'activate', 'failed'),
          row('d', 'gateway-status', 'skipped', 'validate'),
          row('e', 'channels-probe', 'pending', 'validate'),
          row('f', 'switch-generation', 'done', 'rollback'),
        ]}
      />,
    );
    const f = lastFrame()!;
    expect(f).toMatch(/\[x\] build\s+done 1\.2s/);
    expect(f).toMatch(/\[>\] set-profile\s+running/);
    expect(f).toMatch(/\[!\] activate\s+failed/);
    expect(f).toMatch(/\[-\] gateway-status\s+skipped/);
    expect(f).toMatch(/\[ \] channels-probe\s+pending/);
    expect(f).toMatch(/Apply[\s\S]*Validate[\s\S]*Rollback/);
  });
});

describe('ConfirmPrompt', () => {
  const handlers = () => ({ onAnswer: vi.fn(), onExplain: vi.fn(), onDiff: vi.fn(), onQuit: vi.fn() });

  it('shows the exact command whole, and y runs it', async () => {
    const h = handlers();
    const { lastFrame, stdin } = render(<ConfirmPrompt req={request()} width={79} {...h} />);
    // Wrapped between words with a shell continuation, never cut: joined back it is the exact command.
    expect(lastFrame()!.replace(/ \\\n\s*/g, ' ')).toContain(`$ nix-env --profile /tmp/profiles/staging --set ${NEXT}`);
    expect(lastFrame()).toMatch(/run it\? y yes\s+n no\s+e explain\s+d diff\s+q/);
    await press(stdin, 'y');
    await until(() => expect(h.onAnswer).toHaveBeenCalledWith(true));
  });

  it('n declines; e asks for an explanation; d shows the diff; q declines and quits', async () => {
    const h = handlers();
    const { stdin } = render(<ConfirmPrompt req={request()} width={79} {...h} />);
    await press(stdin, 'e');
    await until(() => expect(h.onExplain).toHaveBeenCalled());
    await press(stdin, 'd');
    await until(() => expect(h.onDiff).toHaveBeenCalled());
    await press(stdin, 'n');
    await until(() => expect(h.onAnswer).toHaveBeenCalledWith(false));
    const quit = handlers();
    await press(render(<ConfirmPrompt req={request()} width={79} {...quit} />).stdin, 'q');
    await until(() => expect(quit.onQuit).toHaveBeenCalled());
  });

  // Input is handled as it is read: these assert right after writing, with nothing to wait for.
  it('every key of one read counts, in order, and the question is answered once', () => {
    const h = handlers();
    const { stdin } = render(<ConfirmPrompt req={request()} width={79} {...h} />);
    stdin.write('edyn');
    expect(h.onExplain).toHaveBeenCalledTimes(1);
    expect(h.onDiff).toHaveBeenCalledTimes(1);
    expect(h.onAnswer.mock.calls).toEqual([[true]]);
  });

  it('production: Ctrl-E explains and Ctrl-D shows the diff; no Ctrl key types into the host name', async () => {
    const h = handlers();
    const { lastFrame, stdin } = render(<ConfirmPrompt req={request('production')} width={79} {...h} />);
    await press(stdin, 'prod');
    await press(stdin, '\u0005');
    expect(h.onExplain).toHaveBeenCalledTimes(1);
    await press(stdin, '\u0004');
    expect(h.onDiff).toHaveBeenCalledTimes(1);
    await press(stdin, '\u0001\u0012\u0017');
    await until(() => expect(lastFrame()).toMatch(/run it: prod$/m));
    await press(stdin, '-eu\r');
    expect(h.onAnswer.mock.calls).toEqual([[true]]);
  });

  it('production: the host name and Enter typed faster than the screen redraws still run it', () => {
    const oneRead = handlers();
    render(<ConfirmPrompt req={request('production')} width={79} {...oneRead} />).stdin.write('prod-eu\r');
    expect(oneRead.onAnswer.mock.calls).toEqual([[true]]);
    // A key per read, all before anything is drawn: each edits what the previous one left.
    const keyByKey = handlers();
    const { stdin } = render(<ConfirmPrompt req={request('production')} width={79} {...keyByKey} />);
    for (const k of 'prod-eX\u007fu\r') stdin.write(k);
    expect(keyByKey.onAnswer.mock.calls).toEqual([[true]]);
  });

  it('production: y is not enough, a wrong name is refused, the typed host name runs it', async () => {
    const h = handlers();
    const { lastFrame, stdin } = render(<ConfirmPrompt req={request('production')} width={79} {...h} />);
    expect(lastFrame()).toMatch(/production: type prod-eu to run it/);
    await press(stdin, 'y');
    await until(() => expect(lastFrame()).toMatch(/run it: y$/m));
    await press(stdin, '\r');
    await until(() => expect(lastFrame()).toMatch(/no match/));
    expect(h.onAnswer).not.toHaveBeenCalled();
    await press(stdin, 'prod-eu');
    await until(() => expect(lastFrame()).toMatch(/run it \(no match\): prod-eu$/m));
    await press(stdin, '\r');
    await until(() => expect(h.onAnswer).toHaveBeenCalledWith(true));
  });

  it('production: Esc declines', async () => {
    const h = handlers();
    const { stdin } = render(<ConfirmPrompt req={request('production')} width={79} {...h} />);
    await press(stdin, '\u001b');
    await until(() => expect(h.onAnswer).toHaveBeenCalledWith(false));
  });
});

describe('HealthTable', () => {
  it('shows each check and each channel, failures marked', () => {
    const { lastFrame } = render(
      <HealthTable
        rows={[
          { check: 'gateway-status', result: { ok: true, summary: 'gateway 2026.6.11 answers RPC' } },
          { check: 'http /readyz', result: { ok: false, summary: 'GET /readyz: 503' } },
          {
            check: 'channels-probe',
            result: {
              ok: false,
              summary: 'telegram: probe failed',
              items: [
                { name: 'channel:telegram', ok: false, detail: 'token file missing' },
                { name: 'channel:discord', ok: true, detail: 'works' },
              ],
            },
          },
        ]}
      />,
    );
    const f = lastFrame()!;
    expect(f).toMatch(/CHECK\s+STATE\s+DETAIL/);
    expect(f).toMatch(/gateway-status\s+ok\s+gateway 2026\.6\.11 answers RPC/);
    expect(f).toMatch(/http \/readyz\s+FAIL\s+GET \/readyz: 503/);
    expect(f).toMatch(/channel:telegram\s+FAIL\s+token file missing/);
    expect(f).toMatch(/channel:discord\s+ok\s+works/);
  });
});

describe('Findings', () => {
  it('puts a blocking finding first, marked BLOCK, with its fix', () => {
    const { lastFrame } = render(<Findings findings={plan({ blocked: true }).findings} />);
    const lines = lastFrame()!.split('\n');
    expect(lines[0]).toMatch(/^ BLOCK\s+secret-file-missing: secret file \/run\/secrets\/discord is missing/);
    expect(lastFrame()).toMatch(/fix: create it/);
    expect(lastFrame()).toMatch(/WARN\s+dirty-tree/);
  });
});
