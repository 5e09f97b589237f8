// What every session of the interface shares: the store, the records and deploy deps of the
// plain CLI (openCliDeps) with this interface's approver and event sink in place of the CLI's.
import { resolve } from 'node:path';
import { openCliDeps, type CliDeps } from '../../cli/deps.js';
import { screenRedactor } from '../../cli/redactor.js';
import { Store } from './store.js';
import { inkApprover } from './approver.js';
import { reduceEvent } from './events.js';

export interface UiOptions {
  flake: string;
  sshConfig?: string;
  provider?: string;
  model?: string;
  baseUrl?: string;
  to?: number;
}

export interface UiContext {
  store: Store;
  deps: CliDeps;
  flakeDir: string;
  opts: UiOptions;
  redact: (s: string) => string;
}

export function openContext(opts: UiOptions, store = new Store()): UiContext {
  const deps = openCliDeps({ sshConfig: opts.sshConfig, approver: { yes: false }, quiet: true });
  deps.deploy.approver = inkApprover(store);
  deps.deploy.onEvent = (e) => store.set((s) => reduceEvent(s, e));
  const redactor = screenRedactor();
  return { store, deps, flakeDir: resolve(opts.flake), opts, redact: (s) => redactor.redact(s) };
}

/** One line for the screen from anything thrown, redacted. */
export function messageOf(ctx: UiContext, e: unknown): string {
  return ctx.redact(e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e));
}
