// Fake secrets of every format this field uses, each in a few realistic contexts.
// A format yields one or more lines; `values` are the secret parts that must disappear.
import { type Rng, ALNUM, B64, B64URL, HEX, UPPER_ALNUM, BECH32, mixedStr } from './rng.js';

export interface Planted {
  format: string;
  lines: string[];
  /** Each secret part and the index (within `lines`) of the line it is on. */
  values: Array<{ line: number; value: string }>;
}

type Gen = (r: Rng) => Planted;

const ts = (r: Rng): string => `Jul 01 12:${String(r.int(0, 59)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}`;
const journal = (r: Rng, unit = 'openclaw-gateway'): string => `${ts(r)} staging ${unit}[${r.int(1000, 99999)}]:`;

/** One line, one value, in one of the given contexts. */
function one(format: string, r: Rng, value: string, contexts: Array<(v: string) => string>): Planted {
  return { format, lines: [r.pick(contexts)(value)], values: [{ line: 0, value }] };
}

const telegram: Gen = (r) =>
  one('telegram-bot-token', r, `${r.int(100000000, 7999999999)}:AA${r.str(B64URL, 33)}`, [
    (v) => `TELEGRAM_BOT_TOKEN=${v}`,
    (v) => `${journal(r)} telegram: getMe failed for https://api.telegram.org/bot${v}/getMe: 401`,
    (v) => `{"channels":{"telegram":{"botToken":"${v}","allowFrom":[12345678]}}}`,
  ]);

const discord: Gen = (r) =>
  one('discord-bot-token', r, `MT${mixedStr(r, ALNUM, 24)}.G${r.str(B64URL, 5)}.${mixedStr(r, B64URL, 38)}`, [
    (v) => `DISCORD_BOT_TOKEN=${v}`,
    (v) => `${journal(r)} discord: login with ${v} rejected`,
  ]);

const slack: Gen = (r) => {
  const v = r.pick([
    `xoxb-${r.str('0123456789', 12)}-${r.str('0123456789', 13)}-${r.str(ALNUM, 24)}`,
    `xoxp-${r.str('0123456789', 12)}-${r.str('0123456789', 12)}-${r.str('0123456789', 13)}-${r.str(HEX, 32)}`,
    `xapp-1-A${r.str(UPPER_ALNUM, 10)}-${r.str('0123456789', 13)}-${r.str(HEX, 64)}`,
  ]);
  return one('slack-token', r, v, [(x) => `SLACK_BOT_TOKEN=${x}`, (x) => `  "appToken": "${x}",`, (x) => `${journal(r)} slack: socket mode using ${x}`]);
};

const anthropic: Gen = (r) =>
  one('anthropic-api-key', r, `sk-ant-api03-${r.str(B64URL, 93)}AA`, [(v) => `ANTHROPIC_API_KEY=${v}`, (v) => `${journal(r)} POST https://api.anthropic.com/v1/messages x-api-key: ${v}`]);

const openai: Gen = (r) => {
  const v = r.pick([`sk-proj-${mixedStr(r, B64URL, 74)}T3BlbkFJ${mixedStr(r, B64URL, 74)}`, `sk-${mixedStr(r, ALNUM, 20)}T3BlbkFJ${mixedStr(r, ALNUM, 20)}`]);
  return one('openai-api-key', r, v, [(x) => `OPENAI_API_KEY=${x}`, (x) => `{"models":{"providers":{"openai":{"apiKey":"${x}"}}}}`]);
};

const github: Gen = (r) => {
  const v = r.pick([`ghp_${r.str(ALNUM, 36)}`, `gho_${r.str(ALNUM, 36)}`, `github_pat_11${r.str(UPPER_ALNUM, 20)}_${r.str(ALNUM, 59)}`]);
  return one('github-token', r, v, [
    (x) => `access-tokens = github.com=${x}`,
    (x) => `fatal: unable to access 'https://x-access-token:${x}@github.com/acme/flake.git/': 403`,
    (x) => `GITHUB_TOKEN=${x}`,
  ]);
};

const aws: Gen = (r) => {
  const id = `AKIA${r.str(UPPER_ALNUM, 16)}`;
  const key = r.str(ALNUM + '/+', 40);
  return {
    format: 'aws',
    lines: [`AWS_ACCESS_KEY_ID=${id}`, r.pick([`AWS_SECRET_ACCESS_KEY=${key}`, `aws_secret_access_key = ${key}`])],
    values: [
      { line: 0, value: id },
      { line: 1, value: key },
    ],
  };
};

const age: Gen = (r) => one('age-secret-key', r, `AGE-SECRET-KEY-1${r.str(BECH32.toUpperCase(), 58)}`, [(v) => v, (v) => `  identity: ${v}`]);

const pem: Gen = (r) => {
  const body = Array.from({ length: r.int(3, 8) }, () => r.str(B64, 64));
  if (r.next() < 0.5) {
    const lines = ['-----BEGIN OPENSSH PRIVATE KEY-----', ...body, '-----END OPENSSH PRIVATE KEY-----'];
    return { format: 'pem-private-key', lines, values: body.map((value, i) => ({ line: i + 1, value })) };
  }
  const json = `  "privateKey": "-----BEGIN PRIVATE KEY-----\\n${body.join('\\n')}\\n-----END PRIVATE KEY-----\\n",`;
  return { format: 'pem-private-key', lines: [json], values: body.map((value) => ({ line: 0, value })) };
};

const jwt: Gen = (r) =>
  one('jwt', r, `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ${r.str(B64URL, 60)}.${r.str(B64URL, 43)}`, [
    (v) => `Authorization: Bearer ${v}`,
    (v) => `{"level":"debug","msg":"oauth refresh","id_token":"${v}"}`,
  ]);

const urlPassword: Gen = (r) => {
  const v = mixedStr(r, ALNUM, r.int(12, 24));
  return one('url-password', r, v, [
    (x) => `DATABASE_URL=postgres://openclaw:${x}@db.internal:5432/openclaw`,
    (x) => `Cloning into 'flake'... https://deploy:${x}@git.example.com/ops/flake.git`,
    (x) => `redis://:${x}@cache.internal:6379/0`,
  ]);
};

const assignment: Gen = (r) => {
  const v = mixedStr(r, ALNUM + '_-', r.int(16, 40));
  return one('secret-assignment', r, v, [
    (x) => `OPENROUTER_API_KEY=${x}`,
    (x) => `Environment="WEBHOOK_SECRET=${x}"`,
    (x) => `DB_PASSWORD=${x}`,
    (x) => `  "apiKey": "${x}",`,
    (x) => `${journal(r)} env: CLIENT_SECRET=${x}`,
    (x) => `password: ${x}`,
  ]);
};

const gatewayToken: Gen = (r) => {
  const v = r.next() < 0.6 ? r.str(HEX, 48) : mixedStr(r, B64URL, 43);
  return one('openclaw-gateway-token', r, v, [
    (x) => `OPENCLAW_GATEWAY_TOKEN=${x}`,
    (x) => `+ openclaw gateway status --require-rpc --json --token ${x}`,
    (x) => `{"gateway":{"mode":"local","auth":{"mode":"token","token":"${x}"}}}`,
    (x) => `${journal(r)} control ui: open http://127.0.0.1:18789/?token=${x}`,
    (x) => `      auth.token = "${x}";`,
  ]);
};

export const SECRET_GENERATORS: ReadonlyArray<readonly [string, Gen]> = [
  ['telegram-bot-token', telegram],
  ['discord-bot-token', discord],
  ['slack-token', slack],
  ['anthropic-api-key', anthropic],
  ['openai-api-key', openai],
  ['github-token', github],
  ['aws', aws],
  ['age-secret-key', age],
  ['pem-private-key', pem],
  ['jwt', jwt],
  ['url-password', urlPassword],
  ['secret-assignment', assignment],
  ['openclaw-gateway-token', gatewayToken],
];
