// The number `nix-env --set` gives the generation it makes (Nix 2.8, createGeneration): one above
// the profile's highest, unless the highest already links to that very store path: then nix-env
// switches to it and makes none. So after a rollback, deploying again the build the highest
// generation holds gets that generation's number back, not a new one.

/** The profile's highest-numbered generation and the store path its link names (null: unread). */
export interface NewestGeneration {
  number: number;
  storePath: string | null;
}

export function nextGenerationNumber(newest: NewestGeneration | null, storePath: string): number {
  if (!newest) return 1;
  return newest.storePath === storePath ? newest.number : newest.number + 1;
}
