// A transport runs an argv on a host: locally, or over ssh. Never through a local shell.
import type { Duplex } from 'node:stream';
import type { HostUnreachableError } from './ssh.js';
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  durationMs: number;
  timedOut: boolean;
}

export interface RunOptions {
  /** Milliseconds; the command is killed after this. */
  timeoutMs?: number;
  /** Extra environment for the remote/local command (values are passed safely, never interpolated). */
  env?: Record<string, string>;
  /** Text written to the command's stdin. */
  input?: string;
  /** Each chunk of output as it arrives (the result still holds all of it). */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface Transport {
  /** A short, human name: "local" or "ssh://root@10.213.0.2:22". */
  readonly describe: string;
  /** The store URL that `nix copy --to/--from` uses for this host ("local" has none). */
  readonly storeUrl: string | null;
  /** Runs argv on the host. A non-zero exit is a result, not an exception. */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /**
   * A byte stream to `port` on the host's own loopback (where the gateway listens), when the
   * transport opens it itself; ssh hosts get an `ssh -W` forward instead (see tunnel.ts).
   */
  connect?(port: number): Duplex;
  /** Releases connections (ssh control sockets etc.). */
  close(): Promise<void>;
  /**
   * Calls `listener` whenever a run finds the link to the host lost (it throws HostUnreachableError
   * then); returns the unsubscribe. Absent where there is no link to lose (local).
   */
  onLinkLost?(listener: (lost: HostUnreachableError) => void): () => void;
}
