// The CI gate over every host of a flake: secrets in the sources (before Nix runs), the
// inventory (every entry valid, every host's options evaluate), and the pins of flake.lock.
// It contacts no host and builds nothing.
import { join } from 'node:path';
import { loadInventory } from '../inventory/load.js';
import { hostKind } from '../hostKinds/index.js';
import type { Host } from '../inventory/schema.js';
import type { Finding } from '../plan/schema.js';
import { sortFindings } from '../plan/planner.js';
import { parseLock, diffLocks } from '../analysis/lockDiff.js';
import { scanSources } from '../secrets/index.js';
import { missingPluginFindings } from '../analysis/configChannels.js';
import { assertFlakeDir, worktreeSources } from './flakeFiles.js';
import { isDirty, isGitRepo } from '../git.js';

export interface CheckResult {
  flakeDir: string;
  hosts: Host[];
  findings: Finding[];
  /** False when a blocking secret stopped the check before Nix evaluated the flake. */
  evaluated: boolean;
}

export async function checkFlake(flakeDir: string): Promise<CheckResult> {
  assertFlakeDir(flakeDir);
  const sources = await worktreeSources(flakeDir);
  const findings = await scanSources(sources, { flakeDir });
  if (findings.some((f) => f.severity === 'block')) return { flakeDir, hosts: [], findings: sortFindings(findings), evaluated: false };

  const lockText = sources.find((f) => f.path === 'flake.lock')?.content;
  if (lockText !== undefined) {
    const dirty = (await isGitRepo(flakeDir)) && (await isDirty(flakeDir));
    // Against no base: only the standing facts (unpinned inputs, dirty tree) are findings.
    findings.push(...diffLocks(null, parseLock(lockText, join(flakeDir, 'flake.lock')), { dirty }).findings);
  }
  const inv = await loadInventory(flakeDir);
  if (!inv.hosts.length) {
    findings.push({ code: 'no-hosts', severity: 'warn', message: 'the flake declares no hosts', fix: 'add clawdeploy.hosts.<name> (or deploy-rs deploy.nodes.<name>) to the flake outputs' });
  }
  for (const h of inv.hosts) {
    if (!hostKind(h.kind).supportsRuntimePlugins) continue; // no option to install them: nothing to check
    const channels = Object.fromEntries(h.channels.map((c) => [c, {}]));
    for (const f of missingPluginFindings({ channels }, h.runtimePlugins)) findings.push({ ...f, message: `host '${h.name}': ${f.message}` });
  }
  return { flakeDir, hosts: inv.hosts, findings: sortFindings(dedupe(findings)), evaluated: true };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.file ?? ''}|${f.line ?? ''}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
