// Where things sit inside a generation, by host kind (the layout of HM and NixOS builds).
import type { Host } from '../inventory/schema.js';

/** The rendered openclaw.json inside a generation. */
export function renderedConfigIn(host: Host, generation: string): string {
  if (host.kind === 'nixos') return `${generation}/etc/openclaw/openclaw.json`;
  if (host.kind === 'home-manager') return `${generation}/home-files/.openclaw/openclaw.json`;
  return `${generation}/openclaw.json`;
}
