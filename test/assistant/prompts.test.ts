// Prompt templates: the header, the declared variables, rendering, versions, and the catalog
// rendered into the system prompt from ACTIONS.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { loadTemplate, parseTemplate, PROMPTS_DIR } from '../../src/core/assistant/prompts.js';
import { renderPrompt, systemPrompt } from '../../src/core/assistant/prompt.js';
import { argSignature, renderCatalog } from '../../src/core/assistant/promptCatalog.js';
import { ACTIONS } from '../../src/core/plan/catalog.js';
import { PROPOSE_TOOL } from '../../src/core/assistant/proposal.js';

const id = (s: string) => s;
const file = (header: string, body: string) => `${header}\n---\n${body}`;

describe('template header', () => {
  it('parses name, version, vars and description, and records name@version', () => {
    const t = parseTemplate(file('name: demo\nversion: 2.1\nvars: a, b\ndescription: a test', 'A={{a}} B={{b}}'), 'demo.txt');
    expect(t).toMatchObject({ name: 'demo', version: '2.1', vars: ['a', 'b'], description: 'a test', id: 'demo@2.1', body: 'A={{a}} B={{b}}' });
  });

  it.each([
    ['no header', 'just a body {{a}}', /no header/],
    ['no name', file('version: 1\nvars: a', '{{a}}'), /needs a name/],
    ['no version', file('name: x\nvars: a', '{{a}}'), /needs a version/],
    ['a bad version', file('name: x\nversion: latest\nvars: a', '{{a}}'), /needs a version/],
    ['no vars line', file('name: x\nversion: 1', 'hello'), /needs "vars:"/],
    ['an unknown header key', file('name: x\nversion: 1\nvars: a\nauthor: me', '{{a}}'), /bad header line/],
    ['a key given twice', file('name: x\nversion: 1\nversion: 2\nvars: a', '{{a}}'), /given twice/],
    ['an undeclared variable in the body', file('name: x\nversion: 1\nvars: a', '{{a}} {{b}}'), /undeclared variables: b/],
    ['a declared variable the body never uses', file('name: x\nversion: 1\nvars: a, b', '{{a}}'), /never uses: b/],
    ['a malformed placeholder', file('name: x\nversion: 1\nvars: a', '{{a}} {{ not a name }}'), /malformed placeholder/],
  ])('refuses %s', (_what, text, error) => {
    expect(() => parseTemplate(text, 'x.txt')).toThrow(error);
  });

  it('every shipped template loads, its header names its file, and its version is recorded', () => {
    const names = readdirSync(PROMPTS_DIR)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => f.slice(0, -4))
      .sort();
    expect(names).toEqual(['answer', 'explain', 'incident', 'system']);
    for (const n of names) {
      const t = loadTemplate(n);
      expect(t.name).toBe(n);
      expect(t.id).toMatch(new RegExp(`^${n}@\\d+(\\.\\d+)*$`));
      expect(t.description).toBeTruthy();
    }
    expect(loadTemplate('explain').vars).toEqual(['facts']);
    expect(loadTemplate('answer').vars).toEqual(['facts', 'question']);
    expect(loadTemplate('incident').vars).toEqual(['host', 'generations', 'lastGood', 'diff', 'health']);
    expect(loadTemplate('system').vars).toEqual(['tool', 'catalog']);
  });

  it('refuses template names that are not plain names (no path tricks)', () => {
    expect(() => loadTemplate('../package')).toThrow(/bad template name/);
    expect(() => loadTemplate('nope')).toThrow(/no prompt template nope/);
  });
});

describe('renderPrompt', () => {
  it('fills every variable and records the template version', () => {
    const r = renderPrompt('answer', { facts: 'FACTS-HERE', question: 'why restart?' }, id);
    expect(r.text).toContain('FACTS-HERE');
    expect(r.text).toContain('why restart?');
    expect(r.text).not.toContain('{{');
    expect(r.templates).toEqual([loadTemplate('answer').id]);
  });

  it('refuses a missing variable and an unknown one, naming them', () => {
    expect(() => renderPrompt('answer', { facts: 'x' }, id)).toThrow(/answer@\d+: missing question/);
    expect(() => renderPrompt('explain', { facts: 'x', extra: 'y' }, id)).toThrow(/unknown extra/);
    expect(() => renderPrompt('explain', {}, id)).toThrow(/missing facts .*it takes: facts/);
  });

  it('passes every value through the redactor, then masks opaque tokens', () => {
    const seen: string[] = [];
    const redact = (s: string) => (seen.push(s), s.replaceAll('hunter2hunter2', '[REDACTED:pw]'));
    const r = renderPrompt('answer', { facts: 'token hunter2hunter2', question: `gateway token ${'ab12'.repeat(12)}?` }, redact);
    expect(seen).toEqual(['token hunter2hunter2', `gateway token ${'ab12'.repeat(12)}?`]);
    expect(r.text).toContain('[REDACTED:pw]');
    expect(r.text).toContain('[REDACTED:opaque-hex]');
    expect(r.text).not.toContain('ab12ab12ab12');
  });

  it('never expands a placeholder that arrives inside a value', () => {
    const r = renderPrompt('answer', { facts: 'see {{question}}', question: 'Q' }, id);
    expect(r.text).toContain('see {{question}}');
  });
});

describe('the catalog in the system prompt', () => {
  it('lists every action of ACTIONS, one line each, with its risk, where it runs and its arguments', () => {
    const lines = renderCatalog().split('\n');
    expect(lines).toHaveLength(Object.keys(ACTIONS).length);
    for (const a of Object.values(ACTIONS)) {
      const line = lines.find((l) => l.startsWith(`${a.id}(`));
      expect(line, a.id).toBe(`${a.id}(${argSignature(a.args)}) ${a.risk} ${a.on}: ${a.title}`);
    }
  });

  it('renders argument types from the zod schemas', () => {
    expect(argSignature(ACTIONS['switch-generation'].args)).toBe('profile: path, generation: int>=1, storePath: store-path');
    expect(argSignature(ACTIONS['channels-probe'].args)).toBe('port: port, channels: string[]');
    expect(argSignature(ACTIONS['service-status'].args)).toBe('unit: string, scope: "user"|"system"');
    expect(argSignature(ACTIONS['arm-watchdog'].args)).toMatch(/seconds: int 5-3600/);
  });

  it('the system prompt holds the rules, the tool name and the whole catalog', () => {
    const s = systemPrompt(id);
    expect(s.templates).toEqual([loadTemplate('system').id]);
    expect(s.text).toContain(PROPOSE_TOOL);
    expect(s.text).toContain(renderCatalog());
    for (const rule of [
      /catalog actions/,
      /probes every channel/,
      /number and store path/,
      /Runtime state is not rolled back/,
      /Never reveal, guess/,
      /<untrusted-data> blocks .* never instructions/,
      /Production needs a green staging deploy .* drill/,
    ]) {
      expect(s.text).toMatch(rule);
    }
  });
});
