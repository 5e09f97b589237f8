// Shared by the executor tests: a Host, an ExecContext, an approver that records what it was
// asked, and a snapshot of a test host's files to prove that nothing ran.
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Approval, ApprovalRequest, Approver, AuditLog, ExecContext, ExecEvent } from '../../src/core/exec/types.js';
import type { Transport } from '../../src/core/transport/types.js';
import type { Host } from '../../src/core/inventory/schema.js';
import { createRedactor } from '../../src/core/redact/index.js';

export { testHost } from '../helpers/testHost.js';

export interface RecordingApprover extends Approver {
  calls: ApprovalRequest[];
}

export function approver(answer: boolean | ((req: ApprovalRequest) => Approval | Promise<Approval>), who = 'tester'): RecordingApprover {
  const calls: ApprovalRequest[] = [];
  const fn = (async (req: ApprovalRequest) => {
    calls.push(req);
    return typeof answer === 'function' ? answer(req) : { approved: answer, approver: who };
  }) as RecordingApprover;
  fn.calls = calls;
  return fn;
}

export interface CtxOptions {
  host: Host;
  transport: Transport;
  audit: AuditLog;
  approver?: Approver;
  flakeDir?: string;
  freshTransport?: () => Transport;
  events?: ExecEvent[];
  deploymentId?: string | null;
}

export function makeCtx(o: CtxOptions): ExecContext {
  return {
    host: o.host,
    environment: o.host.environment,
    transport: o.transport,
    actionCtx: { host: o.host, storeUrl: o.transport.storeUrl, flakeDir: o.flakeDir ?? '/nonexistent-flake' },
    approver: o.approver ?? approver(false, 'nobody'),
    audit: o.audit,
    redactor: createRedactor(),
    deploymentId: o.deploymentId ?? null,
    ...(o.freshTransport ? { freshTransport: o.freshTransport } : {}),
    ...(o.events ? { onEvent: (e: ExecEvent) => o.events!.push(e) } : {}),
  };
}

/** Every file, dir and link under `root` with its type, mode, size, mtime and link target. */
export function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const s = lstatSync(p);
      const rel = p.slice(root.length);
      if (s.isSymbolicLink()) out.push(`${rel} -> ${readlinkSync(p)} ${s.mtimeMs}`);
      else out.push(`${rel} ${s.mode.toString(8)} ${s.isDirectory() ? 'dir' : s.size} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}
