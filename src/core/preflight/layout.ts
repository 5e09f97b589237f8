// Where things sit inside a generation: the host kind knows its layout (hostKinds/).
import type { Host } from '../inventory/schema.js';
import { hostKind } from '../hostKinds/index.js';

/** The rendered openclaw.json inside a generation. */
export function renderedConfigIn(host: Host, generation: string): string {
  return hostKind(host.kind).renderedConfigIn(generation);
}
