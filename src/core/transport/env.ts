// Which environment variables a child process must not inherit. Kept as data so the rule is
// reviewable and tested (agent-anchors §5: scrub child env by default; codex #34233, claude #59094).

export interface SecretEnvRule {
  /** Matched against the variable's name, case-insensitively. */
  readonly pattern: RegExp;
  readonly why: string;
  /** Names this rule must drop / must keep; run as tests. */
  readonly examples: { readonly drop: readonly string[]; readonly keep: readonly string[] };
}

export const SECRET_ENV_RULES: readonly SecretEnvRule[] = [
  {
    pattern: /API_?KEY/i,
    why: 'provider and service API keys',
    examples: { drop: ['API_KEY', 'GEMINI_API_KEY', 'my_apikey'], keep: ['KEYBOARD', 'API_URL'] },
  },
  {
    pattern: /TOKEN/i,
    why: 'bearer, bot and registry tokens',
    examples: { drop: ['GITHUB_TOKEN', 'DISCORD_BOT_TOKEN', 'npm_config__authToken'], keep: ['TOKYO_TZ'] },
  },
  {
    pattern: /SECRET/i,
    why: 'client secrets, AWS_SECRET_ACCESS_KEY',
    examples: { drop: ['AWS_SECRET_ACCESS_KEY', 'CLIENT_SECRET'], keep: ['SECTION'] },
  },
  {
    pattern: /PASSW(OR)?D/i,
    why: 'passwords',
    examples: { drop: ['PGPASSWORD', 'DB_PASSWD'], keep: ['PASSAGE'] },
  },
  {
    pattern: /^(ANTHROPIC|OPENAI)_/i,
    why: 'LLM provider settings (keys, org ids, base URLs): the tool’s own, never a child’s',
    examples: { drop: ['ANTHROPIC_BASE_URL', 'OPENAI_ORG_ID'], keep: ['MY_ANTHROPIC', 'PATH'] },
  },
];

export function isSecretEnvName(name: string): boolean {
  return SECRET_ENV_RULES.some((r) => r.pattern.test(name));
}

/** The environment minus secret-looking names (undefined values dropped too). */
export function scrubEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && !isSecretEnvName(k)) out[k] = v;
  }
  return out;
}
