// Renders prompt templates. Every variable value passes through the redactor and then the
// model-bound mask before it is placed, so no caller can forget either; a missing or unknown
// variable is an error, never an empty string. The rendered prompt records `name@version` of
// each template, so a transcript says exactly which prompt produced it.
import { loadTemplate, PLACEHOLDER } from './prompts.js';
import { renderCatalog } from './promptCatalog.js';
import { maskOpaque } from './promptMask.js';
import { renderFacts } from './facts.js';
import { PROPOSE_TOOL } from './proposal.js';
import type { PlanFacts } from './types.js';
import type { Redact } from './untrusted.js';

export interface RenderedPrompt {
  text: string;
  /** `name@version` of every template used. */
  templates: string[];
}

/** A system prompt and the user message that goes with it. */
export interface PromptRequest {
  system: string;
  user: string;
  templates: string[];
}

export function renderPrompt(name: string, vars: Record<string, string>, redact: Redact): RenderedPrompt {
  const t = loadTemplate(name);
  const missing = t.vars.filter((v) => !Object.hasOwn(vars, v));
  const unknown = Object.keys(vars).filter((v) => !t.vars.includes(v));
  if (missing.length || unknown.length) {
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : ''].filter(Boolean);
    throw new Error(`prompt ${t.id}: ${parts.join('; ')} (it takes: ${t.vars.join(', ') || 'no variables'})`);
  }
  const safe = new Map(t.vars.map((v) => [v, maskOpaque(redact(String(vars[v])))]));
  // One pass over the template: a value that contains "{{x}}" is never expanded again.
  const text = t.body.replace(PLACEHOLDER, (_m, v: string) => safe.get(v)!);
  return { text: text.trim(), templates: [t.id] };
}

/** The deploy assistant's system prompt: rules plus the catalog rendered from ACTIONS. */
export function systemPrompt(redact: Redact): RenderedPrompt {
  return renderPrompt('system', { catalog: renderCatalog(), tool: PROPOSE_TOOL }, redact);
}

function request(user: RenderedPrompt, redact: Redact): PromptRequest {
  const system = systemPrompt(redact);
  return { system: system.text, user: user.text, templates: [...system.templates, ...user.templates] };
}

/** Explain a plan to the operator. */
export function explainRequest(facts: PlanFacts, redact: Redact): PromptRequest {
  return request(renderPrompt('explain', { facts: renderFacts(facts) }, redact), redact);
}

/** Answer the operator's question about a plan. */
export function answerRequest(facts: PlanFacts, question: string, redact: Redact): PromptRequest {
  return request(renderPrompt('answer', { facts: renderFacts(facts), question }, redact), redact);
}

/** What the incident prompt is told; each value already compact (the caller renders it). */
export interface IncidentVars {
  /** The host, its environment and target. */
  host: string;
  /** The profile's generations, one a line: number, date, store path, which is current. */
  generations: string;
  /** The last generation that passed validation, and when. */
  lastGood: string;
  /** What differs between the current generation and the candidates (closure and config summaries). */
  diff: string;
  /** The health now: each check's result; log or probe text wrapped with wrapUntrusted. */
  health: string;
}

/** Guided rollback during an incident. */
export function incidentRequest(vars: IncidentVars, redact: Redact): PromptRequest {
  return request(renderPrompt('incident', { ...vars }, redact), redact);
}
