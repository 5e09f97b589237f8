// secretlint's recommended preset as a second opinion on flake sources and store files.
// Loaded lazily: it is heavy and only the scanners need it (never the redactor path).
type LintSource = typeof import('@secretlint/core').lintSource;
type LintConfig = Parameters<LintSource>[0]['options']['config'];

export interface LintHit {
  ruleId: string;
  start: number;
  end: number;
}

let loaded: Promise<{ lint: (content: string, filePath: string) => Promise<LintHit[]> }> | null = null;

async function load(): Promise<{ lint: (content: string, filePath: string) => Promise<LintHit[]> }> {
  const [{ lintSource }, { creator }] = await Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]);
  const config: LintConfig = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
  return {
    lint: async (content, filePath) => {
      const r = await lintSource({ source: { content, filePath, contentType: 'text' }, options: { config, noPhysicFilePath: true } });
      return r.messages.map((m) => ({ ruleId: m.ruleId.replace(/^@secretlint\/secretlint-rule-/, 'secretlint-'), start: m.range[0], end: m.range[1] }));
    },
  };
}

/** secretlint hits in `content` (character ranges). */
export async function secretlintHits(content: string, filePath: string): Promise<LintHit[]> {
  loaded ??= load();
  return (await loaded).lint(content, filePath);
}
