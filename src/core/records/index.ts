// The deployment ledger's public surface.
export { openRecords, Records, type RecordsOptions } from './records.js';
export type { RolloutHostUpdate } from './rollouts.js';
export type { RecordsAccess } from './open.js';
export { statePath, stateDir, RECORDS_FILE } from './path.js';
export { MIGRATIONS, migrate } from './migrations.js';
export { OUTPUT_LIMIT_BYTES } from './excerpt.js';
export { isProcessAlive } from './liveness.js';
export { stepRecordFromOutcome, healthRecordsFromCheck } from './fromExec.js';
export * from './types.js';
