// `npm run bench [NAME...]`: builds, then runs the benchmarks one after another (each in its own
// process, as each is also run alone), and ends with every PASS/FAIL line together.
import { spawnSync } from 'node:child_process';

const ALL = ['startup', 'plan', 'rollback', 'redact', 'tokens', 'verdict', 'rollout'];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((n) => !ALL.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (choose from ${ALL.join(', ')})`);
  process.exit(2);
}
if (spawnSync('node', ['.ci/build.mjs'], { stdio: 'inherit' }).status !== 0) process.exit(1);
const verdicts: string[] = [];
for (const name of chosen.length ? chosen : ALL) {
  console.log(`\n## ${name}`);
  const r = spawnSync('npx', ['tsx', `bench/${name}.ts`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout ?? '');
  const lines = (r.stdout ?? '').split('\n').filter((l) => /\b(PASS|FAIL)\b/.test(l));
  verdicts.push(...(lines.length ? lines.map((l) => `${name}: ${l.trim()}`) : [`${name}: no verdict (exit ${r.status})`]));
}
console.log(`\n${verdicts.join('\n')}`);
