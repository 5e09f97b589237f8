// Conversations are saved, redacted, next to the deployment records, so `--resume` can go on
// with one and a reviewer can see what the model was told and said.
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { stateDir } from '../records/index.js';
import { UserError } from '../errors.js';
import type { ChatMessage } from '../llm/types.js';

const Message = z.object({
  role: z.enum(['user', 'assistant', 'tool']),
  content: z.string(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })).optional(),
  toolCallId: z.string().optional(),
});

const TranscriptSchema = z.object({
  id: z.string(),
  host: z.string(),
  planHash: z.string(),
  provider: z.string(),
  model: z.string(),
  templates: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  usage: z.object({ calls: z.number(), inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number().nullable() }),
  messages: z.array(Message),
});
export type Transcript = z.infer<typeof TranscriptSchema>;

export function transcriptsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'transcripts');
}

export function newTranscript(o: Pick<Transcript, 'host' | 'planHash' | 'provider' | 'model'>): Transcript {
  const now = new Date().toISOString();
  return { id: randomUUID(), ...o, templates: [], createdAt: now, updatedAt: now, usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: null }, messages: [] };
}

/** Writes the transcript with every message redacted again (defence in depth). */
export function saveTranscript(t: Transcript, redact: (s: string) => string, dir = transcriptsDir()): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const messages: ChatMessage[] = t.messages.map((m) => ({
    ...m,
    content: redact(m.content),
    ...(m.toolCalls ? { toolCalls: m.toolCalls.map((c) => ({ ...c, arguments: redact(c.arguments) })) } : {}),
  }));
  const path = join(dir, `${t.id}.json`);
  writeFileSync(path, `${JSON.stringify({ ...t, messages, updatedAt: new Date().toISOString() }, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** A saved transcript by id or unique id prefix. */
export function loadTranscript(idOrPrefix: string, dir = transcriptsDir()): Transcript {
  if (!/^[0-9a-f-]{4,36}$/.test(idOrPrefix)) throw new UserError(`--resume ${idOrPrefix}: not a transcript id`);
  const matches = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(idOrPrefix) && f.endsWith('.json')) : [];
  if (matches.length !== 1) throw new UserError(`--resume ${idOrPrefix}: ${matches.length ? 'more than one transcript matches' : `no transcript in ${dir}`}`);
  const parsed = TranscriptSchema.safeParse(JSON.parse(readFileSync(join(dir, matches[0]!), 'utf8')));
  if (!parsed.success) throw new UserError(`--resume ${idOrPrefix}: the transcript file is damaged (${parsed.error.issues[0]!.path.join('.')})`);
  return parsed.data;
}
