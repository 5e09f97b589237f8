// The assistant's session core, shared by `clawdeploy chat`, `plan --explain`, the ink session
// and the tests. It explains and answers (streaming), and asks the model for a proposal, which
// only becomes a plan through the catalog and the plan's invariants. It runs nothing: executing
// a plan is the deploy flow's job, behind the human gate.
import type { Host } from '../inventory/schema.js';
import type { Plan } from '../plan/schema.js';
import type { ActionContext } from '../plan/catalog.js';
import type { Redactor } from '../redact/index.js';
import type { ChatMessage, CompletionResult, Provider, StreamEvent } from '../llm/types.js';
import { UsageMeter } from '../llm/cost.js';
import { planFacts } from './facts.js';
import { answerRequest, explainRequest, systemPrompt } from './prompt.js';
import { findInjections, wrapUntrusted } from './untrusted.js';
import { checkProposal, proposeTool, PROPOSE_TOOL } from './proposal.js';
import type { UntrustedData } from './types.js';
import { redactedLines } from './lineStream.js';
import { flagModelText, flagPlanText, type ModelTextFlag } from './modelText.js';

/** `flagged`: the model's text (just streamed, or a proposal's reasons) reads like instructions. */
export type SessionEvent = StreamEvent | { type: 'notice'; text: string } | { type: 'flagged'; flags: ModelTextFlag[] };

export interface SessionOptions {
  /** null: offline, the deterministic planner and its templated explanation. */
  provider: Provider | null;
  plan: Plan;
  host: Host | null;
  ctx: ActionContext | null;
  redactor: Redactor;
  /** A resumed conversation. */
  history?: ChatMessage[];
}

export interface ProposalOutcome {
  plan: Plan;
  source: 'model' | 'deterministic';
  /** Why the deterministic plan was used, when it was. */
  note?: string;
}

export class AssistantSession {
  readonly messages: ChatMessage[];
  readonly meter = new UsageMeter();
  /** `name@version` of every template this session rendered. */
  readonly templates = new Set<string>();
  private pending: UntrustedData[] = [];
  private readonly redact: (s: string) => string;

  constructor(private readonly o: SessionOptions) {
    this.messages = [...(o.history ?? [])];
    this.redact = (s) => o.redactor.redact(s);
  }

  get offline(): boolean {
    return this.o.provider === null;
  }

  get plan(): Plan {
    return this.o.plan;
  }

  /**
   * Host, log or config text for the model: wrapped as untrusted data with its source, sent with
   * the next message. Returns instruction-like excerpts found in it, for a warning to the user.
   */
  addUntrusted(data: UntrustedData[]): string[] {
    this.pending.push(...data);
    return data.flatMap((d) => findInjections(this.redact(d.text)).map((hit) => `${d.source}: ${hit}`));
  }

  /** The plan in plain language: from the model, or the offline template. */
  async explain(on?: (e: SessionEvent) => void, signal?: AbortSignal): Promise<string> {
    if (!this.o.provider) return this.offlineText(on);
    const req = explainRequest(planFacts(this.o.plan, this.redact), this.redact);
    return flagged('explanation', (await this.turn(req.system, req.user, req.templates, on, signal)).text, on);
  }

  /** An answer to the operator's question, in the context of the plan. */
  async ask(question: string, on?: (e: SessionEvent) => void, signal?: AbortSignal): Promise<string> {
    if (!this.o.provider) {
      const text = `(offline: no model) ${question.trim()}\nWhat the plan says:\n${this.o.plan.summary.join('\n')}`;
      on?.({ type: 'text', delta: text });
      return text;
    }
    // The facts go with the first message; later questions build on the conversation.
    const req = answerRequest(planFacts(this.o.plan, this.redact), question, this.redact);
    const user = this.messages.length ? this.redact(question) : req.user;
    return flagged('answer', (await this.turn(req.system, user, req.templates, on, signal)).text, on);
  }

  /**
   * Asks the model for steps with the propose_plan tool. A refused proposal is sent back once
   * with the reasons; after that the deterministic plan stands, and the note says why.
   */
  async propose(on?: (e: SessionEvent) => void, signal?: AbortSignal): Promise<ProposalOutcome> {
    const deterministic = (note?: string): ProposalOutcome => {
      if (note) on?.({ type: 'notice', text: note });
      return { plan: this.o.plan, source: 'deterministic', ...(note ? { note } : {}) };
    };
    if (!this.o.provider) return deterministic();
    if (!this.o.host || !this.o.ctx || this.o.plan.status !== 'ready') return deterministic(`the plan is ${this.o.plan.status}: there is nothing for a model to propose`);
    const system = systemPrompt(this.redact);
    const facts = answerRequest(
      planFacts(this.o.plan, this.redact),
      `Propose the deploy of ${this.o.plan.host.name} with the ${PROPOSE_TOOL} tool: apply, validation and rollback steps.`,
      this.redact,
    );
    let user = this.messages.length ? `Propose the deploy with the ${PROPOSE_TOOL} tool: apply, validation and rollback steps.` : facts.user;
    let problems: string[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const result = await this.turn(system.text, user, [...system.templates, ...facts.templates], on, signal, true);
      flagged('proposal', result.text, on);
      const call = result.toolCalls.find((c) => c.name === PROPOSE_TOOL);
      if (!call) problems = [`the model did not call ${PROPOSE_TOOL}`];
      else {
        const checked = checkProposal(call.arguments, this.o.plan, this.o.host, this.o.ctx);
        if (checked.ok) {
          // Its reasons are the model's words too, and they reach the screen and the runbook.
          const reasons = flagPlanText(checked.plan);
          if (reasons.length) on?.({ type: 'flagged', flags: reasons });
          this.messages.push({ role: 'tool', toolCallId: call.id, content: 'accepted: the validated plan is shown to the operator, who confirms each step' });
          return { plan: checked.plan, source: 'model' };
        }
        problems = checked.problems;
        this.messages.push({ role: 'tool', toolCallId: call.id, content: `refused:\n- ${problems.join('\n- ')}` });
      }
      user = `Your proposal was refused:\n- ${problems.join('\n- ')}\nSend a corrected ${PROPOSE_TOOL} call.`;
    }
    return deterministic(`the model's proposal was refused twice (${problems.slice(0, 3).join('; ')}): using the deterministic plan`);
  }

  /** One call: sends the user message (with pending untrusted data), records the reply. */
  private async turn(system: string, user: string, templates: string[], on?: (e: SessionEvent) => void, signal?: AbortSignal, withTool = false): Promise<CompletionResult> {
    for (const t of templates) this.templates.add(t);
    const data = this.pending.length ? `\n\n${wrapUntrusted(this.pending, this.redact)}` : '';
    this.pending = [];
    // A tool call must be answered before the next user message: the caller did that already.
    this.messages.push({ role: 'user', content: `${user}${data}` });
    const lines = redactedLines(this.redact, on);
    const result = await this.o
      .provider!.complete({ system, messages: this.messages, ...(withTool ? { tools: [proposeTool()] } : {}), ...(signal ? { signal } : {}) }, lines.onEvent)
      .finally(lines.flush);
    this.meter.record(result);
    // Everything kept (and later saved) is redacted: a model could echo a secret it inferred.
    this.messages.push({ role: 'assistant', content: this.redact(result.text), ...(result.toolCalls.length ? { toolCalls: result.toolCalls } : {}) });
    return { ...result, text: this.redact(result.text) };
  }

  private offlineText(on?: (e: SessionEvent) => void): string {
    const text = this.o.plan.summary.join('\n');
    on?.({ type: 'text', delta: text });
    return text;
  }
}

/** Tells the caller when the model's text reads like instructions; returns the text unchanged. */
function flagged(where: string, text: string, on?: (e: SessionEvent) => void): string {
  const flags = flagModelText(where, text);
  if (flags.length) on?.({ type: 'flagged', flags });
  return text;
}
