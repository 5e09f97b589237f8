// One cheap round trip that turns "cannot connect" into a one-line UserError naming the host.
import { UserError } from '../errors.js';
import { HostUnreachableError } from './ssh.js';
import type { Transport } from './types.js';

export async function assertReachable(transport: Transport, hostName: string, timeoutMs = 30_000): Promise<void> {
  let r;
  try {
    r = await transport.run(['true'], { timeoutMs });
  } catch (e) {
    if (e instanceof HostUnreachableError) throw new HostUnreachableError(hostName, e.via, e.reason);
    throw e;
  }
  if (r.timedOut) throw new HostUnreachableError(hostName, transport.describe, `no answer in ${timeoutMs} ms`);
  if (r.exitCode !== 0) {
    throw new UserError(`host '${hostName}': connected over ${transport.describe} but 'true' exited ${r.exitCode}`);
  }
}
