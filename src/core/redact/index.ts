export { createRedactor, type Redactor, type RedactorOptions } from './redactor.js';
export { runRedactFilter, type RedactFilterOptions } from './cli.js';
export type { ParallelOptions } from './parallel.js';
export type { RedactStats } from './engine.js';
