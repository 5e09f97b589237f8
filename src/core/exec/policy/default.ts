// The default policy, as plain data (see evaluate.ts for the order: deny, ask, allow).
//
// Reads stay allowed on production too: they are fixed argvs from the catalog that cannot
// write, and validation, retries and the health view of a rollback depend on running them
// unattended; asking for each would train people to press "y" (approval fatigue) and make an
// automatic rollback's verification wait for a human. Where reads may point is the catalog's
// job (plan/pathScope.ts: log-tail only the host's declared gateway log); the log-tail rule below
// is a second layer that asks for any other path.
import type { PolicyRule } from './schema.js';

const PROFILE = '/nix/var/nix/profiles/per-user/root/home-manager';
const GATEWAY_LOGS = '^/(tmp/openclaw|var/lib/openclaw/logs|var/log)/';

export const DEFAULT_RULES: readonly PolicyRule[] = [
  {
    id: 'deny-unknown-action',
    decision: 'deny',
    actions: ['*'],
    when: { inCatalog: false },
    reason: "not an action of clawdeploy's catalog: nothing outside it ever runs",
    examples: {
      match: [
        { action: 'run-shell', environment: 'staging' },
        { action: 'cat', environment: 'production', risk: 'read' },
      ],
      notMatch: [{ action: 'gateway-status', environment: 'staging' }],
    },
  },
  {
    id: 'deny-copy-closure-local',
    decision: 'deny',
    actions: ['copy-closure'],
    when: { target: 'local' },
    reason: "a local host uses this machine's store: there is nothing to copy",
    examples: {
      match: [{ action: 'copy-closure', environment: 'staging', target: 'local' }],
      notMatch: [{ action: 'copy-closure', environment: 'production', target: 'ssh' }],
    },
  },
  {
    id: 'ask-destructive',
    decision: 'ask',
    actions: ['*'],
    risks: ['destructive'],
    reason: 'destructive (switches generations): always asks, in every environment',
    examples: {
      match: [
        { action: 'switch-generation', environment: 'staging' },
        { action: 'switch-generation', environment: 'production' },
      ],
      notMatch: [{ action: 'activate', environment: 'production' }],
    },
  },
  {
    id: 'ask-production-change',
    decision: 'ask',
    actions: ['*'],
    environments: ['production'],
    risks: ['mutate'],
    reason: 'changes a production host: the person types the host name',
    examples: {
      match: [
        { action: 'activate', environment: 'production', args: { profile: PROFILE } },
        { action: 'copy-closure', environment: 'production', target: 'ssh' },
        { action: 'write-host-file', environment: 'production' },
      ],
      notMatch: [
        { action: 'activate', environment: 'staging' },
        { action: 'gateway-status', environment: 'production' },
      ],
    },
  },
  {
    id: 'ask-change',
    decision: 'ask',
    actions: ['*'],
    risks: ['mutate'],
    reason: 'changes the host (or copies to it): a person approves',
    examples: {
      match: [
        { action: 'set-profile', environment: 'staging' },
        { action: 'copy-closure', environment: 'staging', target: 'ssh' },
        { action: 'lock-host', environment: 'staging' },
      ],
      notMatch: [
        { action: 'gateway-health', environment: 'staging' },
        { action: 'switch-generation', environment: 'staging' },
      ],
    },
  },
  {
    id: 'ask-log-tail-elsewhere',
    decision: 'ask',
    actions: ['log-tail'],
    when: { arg: 'path', notMatches: GATEWAY_LOGS },
    reason: 'reads a file that is not a gateway log: its contents would reach the screen (and later a model)',
    examples: {
      match: [
        { action: 'log-tail', environment: 'staging', args: { path: '/etc/shadow', lines: 50 } },
        { action: 'log-tail', environment: 'production', args: { path: '/run/agenix/telegram', lines: 1 } },
      ],
      notMatch: [
        { action: 'log-tail', environment: 'staging', args: { path: '/tmp/openclaw/openclaw-gateway.log', lines: 50 } },
        { action: 'log-tail', environment: 'production', args: { path: '/var/lib/openclaw/logs/gateway.log', lines: 50 } },
      ],
    },
  },
  {
    id: 'allow-read',
    decision: 'allow',
    actions: ['*'],
    risks: ['read'],
    when: { inCatalog: true },
    reason: 'reads change nothing, and validation depends on them (production included)',
    examples: {
      match: [
        { action: 'gateway-status', environment: 'production' },
        { action: 'channels-probe', environment: 'staging', args: { port: 18789, channels: ['telegram'] } },
        { action: 'build', environment: 'production' },
        { action: 'read-host-file', environment: 'production' },
        { action: 'log-tail', environment: 'production', args: { path: '/tmp/openclaw/openclaw-gateway.log', lines: 50 } },
      ],
      notMatch: [
        { action: 'activate', environment: 'staging' },
        { action: 'switch-generation', environment: 'production' },
        { action: 'cat', environment: 'staging', risk: 'read' },
      ],
    },
  },
];
