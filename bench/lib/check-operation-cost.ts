import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DocumentNode, type OperationDefinitionNode, parse, print, validate } from 'graphql';
import { checkOperation, type Principal } from '../../src/index';
import { alternatingRounds, type Contender, type ContenderSamples } from './alternating-rounds';
import { printTable, roundSummary, spread } from './report';
import { pairedRatios, type Summary, summarize } from './stats';
import { wideDocument, wideSchema } from './wide-operation';

/** The goal: one `checkOperation` on the 200-field document, in microseconds. */
export const GOAL_CHECK_OPERATION_US = 50;

/** `checkOperation`, of this checkout or of a baseline one. */
export type CheckOperationFunction = typeof checkOperation;

/**
 * Loads `checkOperation` from a checkout of this package at another commit
 * (`--baseline=<dir>`; link this checkout's `node_modules` into it, so both
 * use one graphql-js). The baseline must read the requirements that the
 * transformer stores on the schema's `extensions`, as every commit since
 * operation mode does.
 */
export async function loadBaselineCheckOperation(directory: string): Promise<CheckOperationFunction> {
  const entry = resolve(directory, 'src/index.ts');
  const loaded: unknown = await import(pathToFileURL(entry).href);
  const candidate = (loaded as { checkOperation?: unknown }).checkOperation;
  if (typeof candidate !== 'function') throw new Error(`--baseline: ${entry} exports no checkOperation`);
  return candidate as CheckOperationFunction;
}

/** A principal with every scope the wide document needs, and one without `r3.read` (so the denials are listed). */
function principals(required: readonly string[]): { allowed: Principal; denied: Principal } {
  return {
    allowed: { kind: 'apiKey', id: 'bench0001', scopes: new Set(required) },
    denied: { kind: 'apiKey', id: 'bench0002', scopes: new Set(required.filter((scope) => scope !== 'r3.read')) },
  };
}

/**
 * Times `checkOperation` on a document of about 200 field selections with
 * named and inline fragments: on a document it has never seen (the walk),
 * and on one it has (the plan is cached per document), for an allowed
 * principal and for one denied 30 selections; next to graphql-js' own
 * `validate` and `parse` of the same document, for scale; and, given a
 * `baseline`, the same three calls of the baseline's `checkOperation` in the
 * same rounds, with paired ratios. The goal is judged on the new document.
 * Returns the JSON result and the goal row.
 */
export async function timeCheckOperation(
  quick: boolean,
  baseline?: CheckOperationFunction,
): Promise<{
  result: Record<string, unknown>;
  goal: { wall: number; cpu: number; target: string; met: boolean };
}> {
  const schema = wideSchema();
  const { document, fieldCount } = wideDocument();
  const source = print(document);
  const { required } = checkOperation({ schema, document, principal: null });
  const callers = principals(required);
  const denied = checkOperation({ schema, document, principal: callers.denied }).denied.length;
  const allowed = checkOperation({ schema, document, principal: callers.allowed });
  if (!allowed.allowed || denied === 0 || validate(schema, document).length > 0) throw new Error('check-operation bench: the document or principals are not what the bench expects');

  // A copy of the operation node is a document checkOperation has never seen: its plan is not cached.
  const [operation, ...fragments] = document.definitions;
  const unseen = (): DocumentNode => ({ ...document, definitions: [{ ...(operation as OperationDefinitionNode) }, ...fragments] });
  const calls = (label: string, check: CheckOperationFunction): Contender[] => [
    { name: `${label}new document (allowed)`, run: () => check({ schema, document: unseen(), principal: callers.allowed }) },
    { name: `${label}seen document (allowed)`, run: () => check({ schema, document, principal: callers.allowed }) },
    { name: `${label}seen document (${denied} denied)`, run: () => check({ schema, document, principal: callers.denied }) },
  ];
  if (baseline !== undefined) {
    // Pre-flight: the baseline must answer exactly as this checkout does, or the comparison means nothing.
    for (const principal of [callers.allowed, callers.denied, null]) {
      if (JSON.stringify(baseline({ schema, document: unseen(), principal })) !== JSON.stringify(checkOperation({ schema, document: unseen(), principal }))) {
        throw new Error('check-operation bench: the baseline answers differently from this checkout');
      }
    }
  }

  const plan = quick ? { batch: 200, blocks: 2, rounds: 5, warmupRounds: 1 } : { batch: 200, blocks: 5, rounds: 15, warmupRounds: 2 };
  const samples = await alternatingRounds(
    [
      ...calls('checkOperation, ', checkOperation),
      ...(baseline === undefined ? [] : calls('baseline checkOperation, ', baseline)),
      { name: 'graphql validate', run: () => validate(schema, document) },
      { name: 'graphql parse', run: () => parse(source) },
    ],
    plan,
  );
  const microseconds = (series: ContenderSamples) => ({ wall: summarize(series.wallMs.map((ms) => ms * 1000)), cpu: summarize(series.cpuMs.map((ms) => ms * 1000)) });
  const rows = Object.entries(samples).map(([name, series]) => [name, microseconds(series)] as const);
  printTable(
    `checkOperation: ${fieldCount} field selections (named and inline fragments, ${required.length} scopes); µs per call, ${plan.rounds} round(s) x ${plan.blocks} block(s) x ${plan.batch} calls, alternating`,
    ['contender', 'wall median [p25..p75] (min..max)', 'cpu median [p25..p75]'],
    rows.map(([name, { wall, cpu }]) => [name, spread(wall), `${cpu.median.toPrecision(4)} [${cpu.p25.toPrecision(4)}..${cpu.p75.toPrecision(4)}]`]),
  );
  const ratios: Record<string, { wall: Summary; cpu: Summary }> = {};
  if (baseline !== undefined) {
    for (const { name } of calls('', checkOperation)) {
      const current = samples[`checkOperation, ${name}`] as ContenderSamples;
      const before = samples[`baseline checkOperation, ${name}`] as ContenderSamples;
      ratios[`${name}: current/baseline`] = { wall: summarize(pairedRatios(current.wallMs, before.wallMs)), cpu: summarize(pairedRatios(current.cpuMs, before.cpuMs)) };
    }
    printTable(
      'checkOperation: paired per-round ratios, this checkout over the baseline (below 1: faster)',
      ['ratio', 'wall median [p25..p75] (min..max)', 'cpu median [p25..p75] (min..max)'],
      Object.entries(ratios).map(([name, { wall, cpu }]) => [name, spread(wall), spread(cpu)]),
    );
  }
  const [, allowedRow] = rows[0] as (typeof rows)[number];
  return {
    result: {
      fieldCount,
      scopes: required.length,
      deniedSelections: denied,
      microsecondsPerCall: Object.fromEntries(rows.map(([name, { wall, cpu }]) => [name, { wall: roundSummary(wall), cpu: roundSummary(cpu) }])),
      ...(baseline === undefined ? {} : { ratiosOverBaseline: Object.fromEntries(Object.entries(ratios).map(([name, { wall, cpu }]) => [name, { wall: roundSummary(wall), cpu: roundSummary(cpu) }])) }),
      plan,
    },
    goal: {
      wall: Number(allowedRow.wall.median.toFixed(2)),
      cpu: Number(allowedRow.cpu.median.toFixed(2)),
      target: `<= ${GOAL_CHECK_OPERATION_US}`,
      met: allowedRow.wall.median <= GOAL_CHECK_OPERATION_US,
    },
  };
}
