// Advice for a guided rollback: which generation to return to and why, and whether a rollback
// can help at all. Offline it is worked out from the proposal (deterministic); with a model, the
// incident prompt gets the same facts, compact and redacted, with the health now's text as
// untrusted data. Either way it is advice: the operator confirms the exact rollback steps.
import type { RollbackProposal } from '../deploy/rollback.js';
import type { Host } from '../inventory/schema.js';
import type { CompletionResult, Provider, StreamEvent } from '../llm/types.js';
import { incidentRequest, type IncidentVars } from './prompt.js';
import { wrapUntrusted } from './untrusted.js';
import { redactedLines } from './lineStream.js';

type Redact = (s: string) => string;

/** Health failures a rollback does not fix: the secret files are not part of a generation. */
// The stand-in's words and the real 2026.9.6's ("configured but unavailable (credential file is unavailable)").
const SECRET_FILE_TROUBLE = /token ?file|secret file|credential file|configured but unavailable|not readable|ENOENT|EACCES|missing secret/i;

export function incidentVars(p: RollbackProposal, host: Host, redact: Redact): IncidentVars {
  const gens = p.generations.map((g) => `${g.number}  ${g.date}  ${g.storePath ?? '?'}${g.current ? '  (current)' : ''}${g.number === p.target.number ? '  (proposed target)' : ''}`);
  const lkg = p.generations.find((g) => g.lastKnownGood);
  const health = wrapUntrusted(
    [{ source: `health checks on ${host.name}, now`, text: p.healthNow.map((h) => `${h.result.ok ? 'ok' : h.result.notRun ? 'not run' : 'FAIL'} ${h.check}: ${h.result.summary}`).join('\n') }],
    redact,
  );
  return {
    host: `${host.name} (${host.environment}, ${host.target}, ${host.kind})`,
    generations: gens.join('\n'),
    lastGood: lkg ? `generation ${lkg.number} (${lkg.storePath ?? '?'}): the last one that passed validation, from the records` : 'none recorded',
    diff: p.changes === null ? 'not worked out yet' : p.changes.length ? p.changes.map((c) => `- [${c.kind}] ${c.summary}`).join('\n') : 'no package or config change',
    health,
  };
}

/** The deterministic advice, a short paragraph per point. */
export function offlineIncidentAdvice(p: RollbackProposal): string {
  const t = p.target;
  const failing = p.healthNow.filter((h) => !h.result.ok && !h.result.notRun);
  const why = t.lastKnownGood
    ? 'the last generation that passed validation (from the records)'
    : p.current.lastKnownGood
      ? `the one before the current generation ${p.current.number}, which itself passed validation when it was deployed`
      : `the one before the current generation ${p.current.number}; no generation is recorded as last known good`;
  const out = [`Roll back to generation ${t.number} (${t.storePath ?? 'store path unknown'}): ${why}.`];
  if (p.changes?.length) out.push(`Going back undoes: ${p.changes.map((c) => c.summary).join('; ')}.`);
  else if (p.changes) out.push('Generations differ in neither packages nor the rendered config: a rollback is unlikely to change anything.');
  if (!failing.length)
    out.push('Every check passes right now: the gateway and its channels look healthy, so a rollback may not be what this incident needs; look at the channel provider or upstream first.');
  else if (failing.some((h) => SECRET_FILE_TROUBLE.test(h.result.summary) || h.result.items?.some((i) => SECRET_FILE_TROUBLE.test(i.detail)))) {
    out.push(
      'A secret file looks missing or unreadable on the host. Secret files (agenix, sops) are not part of a generation: a rollback keeps the same paths, so restore the file on the host instead, unless the target generation does not use it.',
    );
  } else if (failing.some((h) => /no gateway listening|does not answer/.test(h.result.summary))) {
    out.push('The gateway does not answer: activating the target starts its gateway again, and the verification after the switch probes every channel.');
  } else {
    out.push(`Failing now: ${failing.map((h) => h.check).join(', ')}; the verification after the switch runs the same checks.`);
  }
  out.push('Runtime state (sessions, pairing, memory) is not rolled back with the generation.');
  return out.join('\n');
}

export interface IncidentAdvice {
  text: string;
  source: 'model' | 'offline';
  result?: CompletionResult;
}

/** The advice from the model, streamed a line at a time (redacted); offline without one. */
export async function adviseIncident(o: {
  provider: Provider | null;
  proposal: RollbackProposal;
  host: Host;
  redact: Redact;
  on?: (e: StreamEvent) => void;
  signal?: AbortSignal;
}): Promise<IncidentAdvice> {
  if (!o.provider) {
    const text = offlineIncidentAdvice(o.proposal);
    o.on?.({ type: 'text', delta: text });
    return { text, source: 'offline' };
  }
  const req = incidentRequest(incidentVars(o.proposal, o.host, o.redact), o.redact);
  const lines = redactedLines(o.redact, o.on);
  const result = await o.provider.complete({ system: req.system, messages: [{ role: 'user', content: req.user }], ...(o.signal ? { signal: o.signal } : {}) }, lines.onEvent).finally(lines.flush);
  return { text: o.redact(result.text), source: 'model', result };
}

/**
 * Questions during an incident, in the context of the rollback proposal. The first question
 * carries the incident prompt's facts; later ones build on the conversation. Offline, the answer
 * is the advice worked out from the proposal.
 */
export class IncidentChat {
  readonly messages: Array<{ role: 'user' | 'assistant'; content: string }> = [];

  constructor(private readonly o: { provider: Provider | null; proposal: RollbackProposal; host: Host; redact: Redact }) {}

  async ask(question: string, on?: (e: StreamEvent) => void, signal?: AbortSignal): Promise<string> {
    const q = this.o.redact(question.trim());
    if (!this.o.provider) {
      const text = `(offline: no model) ${q}\n${offlineIncidentAdvice(this.o.proposal)}`;
      on?.({ type: 'text', delta: text });
      return text;
    }
    const req = incidentRequest(incidentVars(this.o.proposal, this.o.host, this.o.redact), this.o.redact);
    this.messages.push({ role: 'user', content: this.messages.length ? q : `${req.user}\n\nThe operator asks: ${q}` });
    const lines = redactedLines(this.o.redact, on);
    const result = await this.o.provider.complete({ system: req.system, messages: this.messages, ...(signal ? { signal } : {}) }, lines.onEvent).finally(lines.flush);
    const text = this.o.redact(result.text);
    this.messages.push({ role: 'assistant', content: text });
    return text;
  }
}
