// Parses `nix-env --list-generations` (it has no JSON output in Nix 2.8).
export interface GenerationLine {
  number: number;
  date: string;
  current: boolean;
}

export function parseGenerations(text: string): GenerationLine[] {
  const out: GenerationLine[] = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*(\d+)\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\s*(\(current\))?\s*$/);
    if (m) out.push({ number: Number(m[1]), date: m[2]!, current: Boolean(m[3]) });
  }
  return out;
}
