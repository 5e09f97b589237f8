// Runs argv on a host over OpenSSH: one quoted command string per run, all runs sharing one
// connection (ControlMaster) so a plan's many commands pay the handshake once.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { runLocal } from './local.js';
import { toRemoteCommand } from './quote.js';
import { destination, parseSshTarget, type SshTarget } from './target.js';
import type { RunOptions, RunResult, Transport } from './types.js';

export interface SshTransportOptions {
  /** `ssh://[user@]host[:port]`; host may be an alias of `sshConfig`. */
  target: string;
  /** An ssh_config file, passed as `-F` (to nix too, through NIX_SSHOPTS). */
  sshConfig?: string;
  /** Seconds before a connection attempt gives up (default 10). */
  connectTimeoutSec?: number;
  /** The inventory's name for the host, used in error messages (default: the target's host). */
  name?: string;
  /** Seconds an idle shared connection stays up; bounds the leak if close() is never called (default 60). */
  controlPersistSec?: number;
  /**
   * Keepalives: a probe after this many silent seconds (default 5), the connection given up after
   * `aliveCountMax` unanswered probes (default 3). Without them a cut link hangs a command until
   * its own timeout (minutes for an activation); with them it fails in ~15 s.
   */
  aliveIntervalSec?: number;
  aliveCountMax?: number;
  /**
   * The host's own ssh options (deploy-rs's `sshOpts`). ssh keeps the first value of an option:
   * they come after what clawdeploy cannot work without (batch mode, its control socket) and
   * before its defaults (timeouts, keepalives), which they may override.
   */
  extraOptions?: readonly string[];
}

export interface SshTransport extends Transport {
  readonly kind: 'ssh';
  readonly target: SshTarget;
  readonly name: string;
  /** The ssh options (no destination) every run uses; nix gets the same through nixSshEnv(). */
  sshOptions(): string[];
}

/** ssh could not reach the host (ssh exit 255 with no live connection), as opposed to a remote exit code. */
export class HostUnreachableError extends UserError {
  constructor(
    readonly hostName: string,
    readonly via: string,
    readonly reason: string,
  ) {
    super(`host '${hostName}': unreachable over ${via} (${reason})`);
    this.name = 'HostUnreachableError';
  }
}

/** ~15 s from a cut link to a failed command (see aliveIntervalSec). */
export const DEFAULT_ALIVE_INTERVAL_SEC = 5;
export const DEFAULT_ALIVE_COUNT_MAX = 3;

export function isSshTransport(t: Transport): t is SshTransport {
  return (t as Partial<SshTransport>).kind === 'ssh';
}

export function createSshTransport(opts: SshTransportOptions): SshTransport {
  const target = parseSshTarget(opts.target);
  const dest = destination(target);
  const name = opts.name ?? target.host;
  const connectTimeout = positiveInt(opts.connectTimeoutSec ?? 10, 'connectTimeoutSec');
  const persist = positiveInt(opts.controlPersistSec ?? 60, 'controlPersistSec');
  const aliveInterval = positiveInt(opts.aliveIntervalSec ?? DEFAULT_ALIVE_INTERVAL_SEC, 'aliveIntervalSec');
  const aliveCount = positiveInt(opts.aliveCountMax ?? DEFAULT_ALIVE_COUNT_MAX, 'aliveCountMax');
  // The control socket lives in a private (0700) dir of its own; created lazily, removed by close().
  let controlDir: string | undefined;
  const lostListeners = new Set<(lost: HostUnreachableError) => void>();

  const sshOptions = (): string[] => {
    controlDir ??= mkdtempSync(join(tmpdir(), 'cd-ssh-'));
    return [
      ...(opts.sshConfig ? ['-F', opts.sshConfig] : []),
      ...(target.port !== undefined ? ['-p', String(target.port)] : []),
      '-oBatchMode=yes',
      '-oControlMaster=auto',
      `-oControlPath=${controlDir}/cm`,
      `-oControlPersist=${persist}`,
      ...(opts.extraOptions ?? []),
      `-oConnectTimeout=${connectTimeout}`,
      // The shared connection (the master) sends them: every command on it fails once it is given up.
      `-oServerAliveInterval=${aliveInterval}`,
      `-oServerAliveCountMax=${aliveCount}`,
      // Overrides a config's QUIET so connection errors reach stderr, where we classify them.
      '-oLogLevel=ERROR',
    ];
  };
  const control = (op: 'check' | 'exit') => runLocal(['ssh', ...sshOptions(), '-O', op, '--', dest], { timeoutMs: 5_000 });

  return {
    kind: 'ssh',
    target,
    name,
    describe: opts.target,
    // Nix 2.8 store URLs take no port: the port and config reach nix through NIX_SSHOPTS.
    storeUrl: `ssh://${dest}`,
    sshOptions,
    async run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
      let command = toRemoteCommand(argv, options.env);
      // Killing the local ssh leaves the remote command running (no pty, no SIGHUP). So a timed run
      // records its login shell's pid, which sshd made a process-group leader, to kill the group later.
      const pidFile = options.timeoutMs !== undefined ? `/tmp/.clawdeploy-run-${randomBytes(8).toString('hex')}.pid` : undefined;
      if (pidFile) command = `{ echo $$ > ${pidFile}; } 2>/dev/null; ${command}; s=$?; rm -f ${pidFile}; exit $s`;
      const r = await runLocal(['ssh', ...sshOptions(), '-x', '-a', '--', dest, command], {
        ...(options.input !== undefined ? { input: options.input } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      });
      if (r.timedOut && pidFile) {
        const kill = `p=$(cat ${pidFile} 2>/dev/null) && kill -s TERM -- "-$p"; rm -f ${pidFile}`;
        await runLocal(['ssh', ...sshOptions(), '-x', '-a', '--', dest, kill], { timeoutMs: 5_000 });
      }
      // 255 is also a legal remote exit code: it is ssh's own failure only if no connection is up.
      if (r.exitCode === 255 && !r.timedOut && (await control('check')).exitCode !== 0) {
        // A command whose connection dies under it gets no message from ssh: only the exit.
        const reason = r.stderr.trim() ? sshFailureReason(r.stderr) : `connection lost: no answer to keepalives for ${aliveInterval * aliveCount} s`;
        const lost = new HostUnreachableError(name, opts.target, reason);
        for (const l of lostListeners) {
          try {
            l(lost);
          } catch {
            // A listener's failure must not hide the lost link from the caller.
          }
        }
        throw lost;
      }
      return r;
    },
    onLinkLost(listener) {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    async close() {
      if (controlDir === undefined) return;
      await control('exit');
      rmSync(controlDir, { recursive: true, force: true });
      controlDir = undefined;
    },
  };
}

/** The env vars `nix copy --to <storeUrl>` needs to reach the same host with the same options ({} for local). */
export function nixSshEnv(t: Transport): Record<string, string> {
  if (!isSshTransport(t)) return {};
  const opts = t.sshOptions();
  // Nix splits NIX_SSHOPTS on whitespace, with no quoting.
  const bad = opts.find((o) => /\s/.test(o));
  if (bad !== undefined) throw new UserError(`cannot pass ssh option '${bad}' to nix: NIX_SSHOPTS cannot carry spaces`);
  return { NIX_SSHOPTS: opts.join(' ') };
}

/** One short line from ssh's stderr: "Connection refused", "Permission denied (publickey)", … */
export function sshFailureReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = [...lines].reverse().find((l) => /^ssh: |connection|permission denied|host key|kex_exchange|banner|resolve|timed out|no route|unreachable/i.test(l)) ?? lines.at(-1);
  if (line === undefined) return 'ssh exited 255';
  const port = /port \d+: (.+)$/.exec(line);
  const reason = (port?.[1] ?? line.replace(/^ssh: /, '')).replace(/\.$/, '');
  return reason.length > 160 ? `${reason.slice(0, 157)}...` : reason;
}

function positiveInt(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${what} must be a positive whole number of seconds, got ${n}`);
  return n;
}
