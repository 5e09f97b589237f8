// A resolved host, checked. Facts derived from the host's own options (its gateway port) are input
// as much as the inventory is: an invalid one names the host and the option it came from.
import { UserError } from '../errors.js';
import { Host } from './schema.js';

/** `portFrom`: where the gateway port was written (an inventory field or a module option). */
export function checkedHost(flakeDir: string, host: Host, portFrom: string): Host {
  const r = Host.safeParse(host);
  if (r.success) return r.data;
  const at = (i: { path: PropertyKey[] }) => i.path.map(String).join('.');
  // A bad gateway port also fails the health checks that default to it: the port is the cause.
  const issue = r.error.issues.find((i) => at(i) === 'gateway.port') ?? r.error.issues[0]!;
  const field = at(issue) === 'gateway.port' ? `${portFrom} = ${host.gateway.port}` : at(issue);
  throw new UserError(`flake ${flakeDir}: host '${host.name}': ${field}: ${issue.message}`);
}
