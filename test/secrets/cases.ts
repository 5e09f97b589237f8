// Shared tables: fake secrets of every format (in realistic lines) and public values that
// look random. Every secret here is made up; none is live.

export interface SecretCase {
  name: string;
  /** The rule expected to name it. */
  rule: string;
  line: string;
  /** The part that must disappear. */
  secret: string;
}

const TG = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const DISCORD = 'MTA4NjY1NjQwNzA5NjE2NjQ2NQ.GbCdEf.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const ANT = `sk-ant-api03-${'Ab9_'.repeat(23)}xAA`;
const OAI_PROJ = `sk-proj-${'aB3dE'.repeat(15)}T3BlbkFJ${'Zy9Xw'.repeat(15)}`;
const OAI_LEGACY = 'sk-Ab3dEfGhIjKlMnOpQrStT3BlbkFJ9zYxWvUtSrQpOnMlKj';
const GHP = 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const GHO = 'gho_0123456789AbCdEfGhIjKlMnOpQrStUvWxYz';
const GHPAT = `github_pat_11ABCDEFG0123456789_${'aBc1'.repeat(15)}`;
const AKIA = 'AKIAZ7Q3XK2MPL5VN4RT';
const AWS_SECRET = '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';
const AGE_SECRET = `AGE-SECRET-KEY-1${'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'.repeat(2).slice(0, 58)}`;
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const HEX48 = '3f2a9c4b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e';
const B64GW = 'Q2xhd0RlcGxveUdhdGV3YXlUb2tlbjIwMjZYeVo5';
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';

export const SECRET_CASES: SecretCase[] = [
  { name: 'telegram env', rule: 'telegram-bot-token', line: `TELEGRAM_BOT_TOKEN=${TG}`, secret: TG },
  { name: 'telegram in URL', rule: 'telegram-bot-token', line: `GET https://api.telegram.org/bot${TG}/getMe 401`, secret: TG },
  { name: 'discord in journal', rule: 'discord-bot-token', line: `Jul 01 12:00:01 staging openclaw-gateway[812]: discord: login with ${DISCORD} rejected`, secret: DISCORD },
  {
    name: 'discord token without digits',
    rule: 'discord-bot-token',
    line: 'token MTAwMDAwMDAwMDAwMDAwMDAw.FakeDc.FakeDiscordBotTokenForClawdeployTests',
    secret: 'MTAwMDAwMDAwMDAwMDAwMDAw.FakeDc.FakeDiscordBotTokenForClawdeployTests',
  },
  { name: 'slack xoxb', rule: 'slack-token', line: 'SLACK_BOT_TOKEN=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', secret: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx' },
  {
    name: 'slack xoxp',
    rule: 'slack-token',
    line: 'token xoxp-123456789012-123456789012-1234567890123-0123456789abcdef0123456789abcdef',
    secret: 'xoxp-123456789012-123456789012-1234567890123-0123456789abcdef0123456789abcdef',
  },
  {
    name: 'slack xapp',
    rule: 'slack-token',
    line: '  "appToken": "xapp-1-A0123456789-1234567890123-0123456789abcdef0123456789abcdef",',
    secret: 'xapp-1-A0123456789-1234567890123-0123456789abcdef0123456789abcdef',
  },
  { name: 'anthropic', rule: 'anthropic-api-key', line: `x-api-key: ${ANT}`, secret: ANT },
  { name: 'openai project', rule: 'openai-api-key', line: `OPENAI_API_KEY=${OAI_PROJ}`, secret: OAI_PROJ },
  { name: 'openai legacy', rule: 'openai-api-key', line: `{"apiKey":"${OAI_LEGACY}"}`, secret: OAI_LEGACY },
  { name: 'github ghp', rule: 'github-token', line: `access-tokens = github.com=${GHP}`, secret: GHP },
  { name: 'github gho', rule: 'github-token', line: `Authorization: token ${GHO}`, secret: GHO },
  { name: 'github fine-grained', rule: 'github-token', line: `GH_TOKEN=${GHPAT}`, secret: GHPAT },
  { name: 'aws access key id', rule: 'aws-access-key-id', line: `AWS_ACCESS_KEY_ID=${AKIA}`, secret: AKIA },
  { name: 'aws secret key', rule: 'aws-secret-access-key', line: `aws_secret_access_key = ${AWS_SECRET}`, secret: AWS_SECRET },
  { name: 'age secret key', rule: 'age-secret-key', line: AGE_SECRET, secret: AGE_SECRET },
  { name: 'pem in JSON', rule: 'pem-private-key', line: `  "privateKey": "-----BEGIN PRIVATE KEY-----\\n${PEM_BODY}\\n${PEM_BODY}\\n-----END PRIVATE KEY-----\\n",`, secret: PEM_BODY },
  { name: 'jwt', rule: 'jwt', line: `{"id_token":"${JWT}"}`, secret: JWT },
  { name: 'bearer', rule: 'bearer-token', line: 'Authorization: Bearer AbCdEf0123456789GhIjKl', secret: 'AbCdEf0123456789GhIjKl' },
  { name: 'postgres url', rule: 'url-password', line: 'DATABASE_URL=postgres://openclaw:S3cretPassw0rd@db.internal:5432/openclaw', secret: 'S3cretPassw0rd' },
  { name: 'redis url without user', rule: 'url-password', line: 'redis://:R3disPassw0rd@cache.internal:6379/0', secret: 'R3disPassw0rd' },
  { name: 'env _TOKEN', rule: 'secret-assignment', line: 'export DEPLOY_TOKEN=dpl_7f3a9c2e41b8d6f0', secret: 'dpl_7f3a9c2e41b8d6f0' },
  { name: 'env _KEY', rule: 'secret-assignment', line: 'OPENROUTER_API_KEY=or-v1-abc123DEF456ghi', secret: 'or-v1-abc123DEF456ghi' },
  { name: 'env _SECRET in unit', rule: 'secret-assignment', line: 'Environment="WEBHOOK_SECRET=whsec_Zx81mQ2pLk"', secret: 'whsec_Zx81mQ2pLk' },
  { name: 'PASSWORD=', rule: 'secret-assignment', line: 'PASSWORD=hunter22', secret: 'hunter22' },
  { name: 'JSON apiKey', rule: 'secret-assignment', line: '  "apiKey": "Zm9vYmFyYmF6cXV4MTIz",', secret: 'Zm9vYmFyYmF6cXV4MTIz' },
  { name: 'journal env line', rule: 'secret-assignment', line: 'Jul 01 12:00:01 staging openclaw-gateway[812]: env: CLIENT_SECRET=cs_9Qw8Er7Ty6', secret: 'cs_9Qw8Er7Ty6' },
  { name: 'ADMIN_PASSWORD (min inside a word)', rule: 'secret-assignment', line: 'ADMIN_PASSWORD=Adm1nPa55word', secret: 'Adm1nPa55word' },
  { name: 'ACCOUNT_KEY (count inside a word)', rule: 'secret-assignment', line: 'AZURE_STORAGE_ACCOUNT_KEY=c3RvcmFnZWtleTEyMzQ1Ng', secret: 'c3RvcmFnZWtleTEyMzQ1Ng' },
  { name: 'quoted passphrase with spaces', rule: 'secret-assignment', line: '{"password": "correct horse battery staple"}', secret: 'correct horse battery staple' },
  { name: 'yaml password', rule: 'secret-assignment', line: 'password: Tr0ub4dor3', secret: 'Tr0ub4dor3' },
  { name: 'gateway token env', rule: 'openclaw-gateway-token', line: `OPENCLAW_GATEWAY_TOKEN=${HEX48}`, secret: HEX48 },
  { name: 'gateway token JSON', rule: 'openclaw-gateway-token', line: `{"gateway":{"auth":{"mode":"token","token":"${B64GW}"}}}`, secret: B64GW },
  { name: 'gateway token nix', rule: 'openclaw-gateway-token', line: `      auth.token = "${HEX48}";`, secret: HEX48 },
  { name: 'gateway token in URL', rule: 'openclaw-gateway-token', line: `control ui: http://127.0.0.1:18789/?token=${HEX48}`, secret: HEX48 },
  { name: 'gateway token flag', rule: 'cli-secret-flag', line: `+ openclaw gateway status --require-rpc --token ${HEX48} --json`, secret: HEX48 },
];

/** Multi-line PEM (the redactor's state machine). */
export const PEM_LINES = ['-----BEGIN OPENSSH PRIVATE KEY-----', PEM_BODY, PEM_BODY.slice(0, 40), '-----END OPENSSH PRIVATE KEY-----'];
export const PEM_SECRETS = [PEM_BODY, PEM_BODY.slice(0, 40)];

export interface PublicCase {
  name: string;
  line: string;
}

/** Random-looking public values, often next to secret-sounding names: must stay byte-identical. */
export const PUBLIC_CASES: PublicCase[] = [
  { name: 'store path', line: "copying path '/nix/store/0c5k5jf2h2q8mhw8m2n8ydm8yjmbq6k6-openclaw-gateway-2026.6.11' from 'https://cache.nixos.org'..." },
  { name: 'store path after a token name', line: 'OPENCLAW_TOKEN_FILE=/nix/store/0c5k5jf2h2q8mhw8m2n8ydm8yjmbq6k6-token' },
  { name: 'store path with sk- in its name', line: '/nix/store/0c5k5jf2h2q8mhw8m2n8ydm8yjmbq6k6-sk-proj-tools-Abc123defGhi456jklMno' },
  { name: 'narHash SRI', line: '        "narHash": "sha256-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcde=",' },
  { name: 'hash mismatch SRI', line: '         got:    sha256-Q2xhd0RlcGxveUdhdGV3YXlUb2tlbjIwMjZYeVo5aaa=' },
  { name: 'sha256 base32', line: "path '/nix/store/0c5k5jf2h2q8mhw8m2n8ydm8yjmbq6k6-source' has hash 'sha256:1w2ki3ck8c7dbd1kvsh1r4bvvvy3v4vb4n1c3z1wj3gl0x5xbl2c'" },
  { name: 'flake.lock rev', line: '        "rev": "910c1ce89e6a6c7574ab97d3935afbe5310b5db7",' },
  { name: 'git rev in flake URL', line: "unpacking 'github:openclaw/nix-openclaw/ceeb2ef2334d270b21164982cbfa350afd83a376' into the Git cache..." },
  { name: 'age recipient', line: '  publicKeys = [ "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p" ];' },
  { name: 'age recipient under a KEY name', line: 'AGE_PUBLIC_KEY=age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p' },
  { name: 'uuid', line: '_BOOT_ID=6f1c7a52-3c0e-4b3a-9f1e-2a6b8c9d0e1f' },
  { name: 'uuid after token', line: '{"msg":"pairing","token":"6f1c7a52-3c0e-4b3a-9f1e-2a6b8c9d0e1f"}' },
  { name: 'ssh public key', line: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@staging' },
  { name: 'ssh public key under a KEY name', line: 'SSH_KEY=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' },
  { name: 'nix cache public key', line: 'trusted-public-keys = cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=' },
  { name: 'public key name', line: 'SSH_PUBLIC_KEY=AbCdEf0123456789xyz' },
  { name: 'max tokens', line: 'MAX_TOKENS=4096 max_token=8192 tokenLimit=16000' },
  { name: 'token counts', line: '{"usage":{"input_tokens":1234,"output_tokens":567},"max_tokens":4096}' },
  { name: 'file pointer', line: 'channels.telegram.tokenFile = "/run/agenix/telegram-bot";' },
  { name: 'env reference', line: 'GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}' },
  { name: 'SecretRef', line: 'gateway.auth.token = { source = "env"; provider = "default"; id = "OPENCLAW_GATEWAY_TOKEN"; };' },
  { name: 'code reference', line: 'const token = channel.botToken ?? channel.token;' },
  { name: 'bare key', line: 'monkey=bananabanana key=nixpkgs' },
  { name: 'invocation id', line: 'INVOCATION_ID=0f3c8e2a9b7d4c6e1a5f0b2d3c4e5f6a' },
  { name: 'timestamps and ports', line: 'Jul 01 12:00:03 staging openclaw-gateway[5678]: [gateway] listening on ws://127.0.0.1:18789 (auth: token)' },
];

/** ANSI-colored build output: color codes count as word boundaries. */
export const ANSI_CASES: SecretCase[] = [
  { name: 'colored openai key', rule: 'openai-api-key', line: '\x1b[32msk-proj-aB3dEaB3dEaB3dEaB3dE0123456789\x1b[0m', secret: 'sk-proj-aB3dEaB3dEaB3dEaB3dE0123456789' },
  { name: 'colored aws id', rule: 'aws-access-key-id', line: 'key \x1b[1mAKIAZ7Q3XK2MPL5VN4RT\x1b[0m', secret: 'AKIAZ7Q3XK2MPL5VN4RT' },
  {
    name: 'colored discord token',
    rule: 'discord-bot-token',
    line: '\x1b[33mMTA4NjY1NjQwNzA5NjE2NjQ2NQ.GbCdEf.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\x1b[0m',
    secret: 'MTA4NjY1NjQwNzA5NjE2NjQ2NQ.GbCdEf.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  },
];
ANSI_CASES.push({ name: 'colored env assignment', rule: 'secret-assignment', line: '\x1b[1mDB_PASSWORD=Tr0ub4dor3\x1b[0m', secret: 'Tr0ub4dor3' });
