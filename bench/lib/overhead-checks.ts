import { type DocumentNode, execute, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Principal } from '../../src/index';

/** Runs one query the way the benchmark does: a fresh context per request, awaited. */
export async function runQuery(schema: GraphQLSchema, document: DocumentNode, principal: Principal | null): Promise<ExecutionResult> {
  return await execute({ schema, document, contextValue: { principal } });
}

/** The codes (`extensions.code`, else the message) of a result's errors, sorted and counted. */
export function errorCodes(result: ExecutionResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const error of result.errors ?? []) {
    const code = typeof error.extensions.code === 'string' ? error.extensions.code : error.message;
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

/** One failed expectation of the pre-flight checks. */
export interface CheckFailure {
  readonly check: string;
  readonly problem: string;
}

/** Records a failure unless `ok`. */
export function expectThat(failures: CheckFailure[], check: string, ok: boolean, problem: string): void {
  if (!ok) failures.push({ check, problem });
}
