import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRecords, type Records } from '../../src/core/records/index.js';

let dir: string;
let records: Records | undefined;
afterEach(() => {
  records?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('model usage stored with the deployment', () => {
  it('keeps each conversation’s tokens and cost beside the deployment it led to', () => {
    dir = mkdtempSync(join(tmpdir(), 'cd-usage-'));
    records = openRecords(join(dir, 'records.db'));
    const id = records.startDeployment({
      host: 'staging',
      environment: 'staging',
      target: 'local',
      kind: 'home-manager',
      operation: 'apply',
      flakeDir: '/f',
      flakeRev: null,
      dirty: false,
      lockHash: null,
      planHash: 'sha256:x',
      generationBefore: null,
      approver: 'ops',
    });
    records.recordUsage(id, { transcriptId: 't-1', provider: 'anthropic', model: 'claude-sonnet-5-5', calls: 3, inputTokens: 4200, outputTokens: 310, costUsd: 0.0115 });
    expect(records.usageOf(id)).toEqual([{ transcriptId: 't-1', provider: 'anthropic', model: 'claude-sonnet-5-5', calls: 3, inputTokens: 4200, outputTokens: 310, costUsd: 0.0115 }]);
    expect(() => records!.recordUsage('nope', { provider: 'openai', model: 'm', calls: 1, inputTokens: 1, outputTokens: 1, costUsd: null })).toThrow(/no deployment nope/);
  });
});
