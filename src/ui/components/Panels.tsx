// Thin components over the line panels, for reuse and for the component tests.
import type { Finding } from '../../core/plan/schema.js';
import type { HealthRow, StepRow } from '../session/state.js';
import { Lines } from '../lines.js';
import { stepLines } from '../panels/steps.js';
import { healthLines } from '../panels/health.js';
import { findingLines } from '../panels/plan.js';

export const StepList = ({ steps, width = 80, height }: { steps: StepRow[]; width?: number; height?: number }) => <Lines lines={stepLines(steps)} width={width} {...(height ? { height } : {})} />;
export const HealthTable = ({ rows, width = 80 }: { rows: HealthRow[] | null; width?: number }) => <Lines lines={healthLines(rows)} width={width} />;
export const Findings = ({ findings, width = 80 }: { findings: Finding[]; width?: number }) => <Lines lines={findingLines(findings, width)} width={width} />;
