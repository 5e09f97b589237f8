// Channels in the rendered openclaw.json: added, removed, changed, and the runtime plugin each one needs.
import type { Change, Finding } from '../plan/schema.js';
import { changedLeaves, describeLeaf, type Redact } from './configValues.js';
import { compareStr, isRecord, sortedKeys } from './util.js';

/** Typed settings under `channels`, not channels themselves. */
const CHANNEL_SETTINGS = new Set(['defaults', 'modelByChannel']);
/** The only channel built into the gateway; every other one ships as a nix-openclaw runtime plugin. */
const CORE_CHANNELS = new Set(['telegram']);

function channelsOf(config: Record<string, unknown> | null): Record<string, unknown> {
  const c = config?.channels;
  return isRecord(c) ? c : {};
}

/** Upstream starts a channel whenever its section exists, unless `enabled = false`. */
function isEnabled(v: unknown): boolean {
  return !(isRecord(v) && v.enabled === false);
}

export function channelChanges(current: Record<string, unknown> | null, next: Record<string, unknown>, redact: Redact): { changes: Change[]; findings: Finding[] } {
  const a = channelsOf(current);
  const b = channelsOf(next);
  const changes: Change[] = [];
  const findings: Finding[] = [];
  for (const id of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareStr)) {
    const what = CHANNEL_SETTINGS.has(id) ? `channel setting ${id}` : `channel ${id}`;
    const before = a[id];
    const after = b[id];
    if (before === undefined) {
      const keys = isRecord(after) ? sortedKeys(after) : [];
      const note = CHANNEL_SETTINGS.has(id) || isEnabled(after) ? '' : ' (disabled)';
      changes.push({ kind: 'config', summary: `${what} added${note}`, detail: { section: 'channels', channel: id, action: 'added', keys } });
    } else if (after === undefined) {
      changes.push({ kind: 'config', summary: `${what} removed`, detail: { section: 'channels', channel: id, action: 'removed' } });
      if (!CHANNEL_SETTINGS.has(id)) findings.push(stateKept(id));
    } else {
      const leaves = changedLeaves(before, after);
      if (!leaves.length) continue;
      const toggled = leaves.find((l) => l.path.join('.') === 'enabled');
      const words = leaves.map((l) => (l === toggled ? (isEnabled(after) ? 'now enabled' : 'now disabled') : describeLeaf(l, redact)));
      changes.push({
        kind: 'config',
        summary: `${what} changed: ${words.join(', ')}`,
        detail: { section: 'channels', channel: id, action: 'changed', keys: leaves.map((l) => l.path.join('.')) },
      });
    }
  }
  return { changes, findings };
}

function stateKept(id: string): Finding {
  return {
    code: 'channel-state-kept',
    severity: 'info',
    message: `channel ${id} is removed from the config, but its state on the host (pairing, sessions, credentials under the state directory) stays`,
    fix: `delete the ${id} state from the OpenClaw state directory by hand if it should go`,
  };
}

/** Runtime plugin ids a config loads through plugins.load.paths (…-openclaw-runtime-plugin-<id>-<version>). */
export function pluginsInLoadPaths(config: Record<string, unknown>): string[] {
  const plugins = config.plugins;
  const load = isRecord(plugins) ? plugins.load : undefined;
  const paths = isRecord(load) && Array.isArray(load.paths) ? load.paths : [];
  const ids = paths.flatMap((p) => {
    const m = typeof p === 'string' ? /openclaw-runtime-plugin-([a-z0-9]+)(?:-|$)/.exec(p) : null;
    return m?.[1] ? [m[1]] : [];
  });
  return [...new Set(ids)].sort(compareStr);
}

/** A plugin channel whose plugin is not loaded fails at start while the gateway looks healthy (#84 class). */
export function missingPluginFindings(next: Record<string, unknown>, runtimePlugins: string[] | undefined): Finding[] {
  const loaded = new Set([...(runtimePlugins ?? []), ...pluginsInLoadPaths(next)]);
  const channels = channelsOf(next);
  const missing = sortedKeys(channels).filter((id) => !CHANNEL_SETTINGS.has(id) && !CORE_CHANNELS.has(id) && isEnabled(channels[id]) && !loaded.has(id));
  const wanted = [...new Set([...(runtimePlugins ?? []), ...missing])].sort(compareStr);
  const fix = `programs.openclaw.runtimePlugins = [ ${wanted.map((p) => JSON.stringify(p)).join(' ')} ];`;
  return missing.map((id) => ({
    code: 'channel-plugin-missing',
    severity: 'block' as const,
    message: `channel ${id} is configured but its runtime plugin "${id}" is not loaded (not in programs.openclaw.runtimePlugins), so the channel will not start`,
    fix,
  }));
}
