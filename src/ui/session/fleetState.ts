// A rollout on screen, as one plain object: the fleet reducer folds the rollout's events into it,
// the wave approver and the keys set the rest, the fleet panel reads it.

/**
 * A host's place in the rollout as shown; `rolling-back`: its wave failed and takes it back now;
 * `next-boot`: a NixOS `boot` deploy (applied-for-next-boot), its new generation not running until a reboot.
 */
export type FleetHostState =
  'pending' | 'running' | 'rolling-back' | 'succeeded' | 'next-boot' | 'no-change' | 'rolled-back' | 'reverted' | 'failed' | 'refused' | 'blocked' | 'not-started' | 'skipped';

export type FleetWaveState = 'pending' | 'asking' | 'running' | 'passed' | 'failed' | 'declined' | 'rolling-back';

export interface FleetHost {
  name: string;
  environment: string | null;
  /** Generation numbers of its plan: now, and after its wave. */
  from: number | null;
  to: number | null;
  state: FleetHostState;
  /** What its deploy is doing now ("validating", "rolling back"), and the step running in it. */
  phase: string | null;
  step: string | null;
  /** The last validation: every check ok, or the first that failed (`short` for a column, `text` whole). */
  health: { ok: boolean; short: string; text: string } | null;
  /** Why it ended as it did (the outcome's detail), or the last notice while it runs. */
  detail: string | null;
}

export interface FleetWave {
  index: number;
  label: string;
  hosts: string[];
  state: FleetWaveState;
}

/** One host of a wave being asked, as the question shows it (commands redacted, exact otherwise). */
export interface AskHost {
  name: string;
  environment: string;
  target: string;
  from: number | null;
  to: number | null;
  commands: string[];
  checks: number;
}

export interface WaveAsk {
  rollout: string;
  /** "wave 2 of 3" (waves.ts's waveTitle). */
  title: string;
  /** 1-based, of `of`. */
  number: number;
  of: number;
  hosts: AskHost[];
  /** The production hosts: their names must be typed. */
  production: string[];
  answer: (approved: boolean) => void;
}

export interface FleetState {
  selector: string;
  rollout: string | null;
  stage: 'reaching' | 'planning' | 'waves' | 'done';
  /** In the order they were first heard of; the panel orders them by wave. */
  hosts: FleetHost[];
  waves: FleetWave[];
  /** The wave asked, running or rolling back now: highlighted. */
  current: number | null;
  ask: WaveAsk | null;
  /** Ctrl-C: no further wave is approved (the hosts deploying now finish). */
  stop: boolean;
  notice: string | null;
  scroll: number;
}

export function initialFleet(o: Partial<FleetState> = {}): FleetState {
  return { selector: '', rollout: null, stage: 'reaching', hosts: [], waves: [], current: null, ask: null, stop: false, notice: null, scroll: 0, ...o };
}
