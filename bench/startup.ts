// `clawdeploy --version` and `--help` against `node -e 0`: start-up must stay cheap
// (heavy modules load lazily). Target: --version <= 2.5x node -e 0.
import { sideBySide, timeCommand } from './lib.js';

const rounds = Number(process.env['ROUNDS'] ?? 25);
const r = await sideBySide(rounds, {
  'node -e 0': () => timeCommand('node', ['-e', '0']),
  'clawdeploy --version': () => timeCommand('node', ['bin/clawdeploy.mjs', '--version']),
  'clawdeploy --help': () => timeCommand('node', ['bin/clawdeploy.mjs', '--help']),
});
const base = r['node -e 0']!;
console.log(`startup (median of ${rounds}, ms)`);
for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(22)} ${v.toFixed(1).padStart(7)}  ratio ${(v / base).toFixed(2)}`);
const ratio = r['clawdeploy --version']! / base;
console.log(`--version ratio ${ratio.toFixed(2)} (target <= 2.5): ${ratio <= 2.5 ? 'PASS' : 'FAIL'}`);
