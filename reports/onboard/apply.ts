/**
 * Applying an onboarding plan: the needed membership requests are sent with bounded
 * concurrency (retries of the idempotent PUT and DELETE happen inside the client's
 * transport), and every input row gets one result. A failure of one row never stops the
 * others; re-running the same file completes what failed and changes nothing already done.
 *
 * @module
 */

import { redact } from "../../client/redact.ts";
import { UsageError } from "../../client/errors.ts";
import type { ApiRv } from "../../client/as/api_rv.ts";
import { mapPool } from "../_pool.ts";
import type { RowIssue } from "./csv.ts";
import type { OnboardPlan, PlannedRow, PlannedStep } from "./plan.ts";
import type { MembershipTarget, OnboardAction, OnboardClient } from "./types.ts";

/** What happened to an input row (or one of its steps, except `skipped`). */
export type RowOutcome = "added" | "unchanged" | "removed" | "failed" | "skipped";

/** The result of one membership step of a row. */
export interface StepResult {
  /** The organisation or unit of the step. */
  target: MembershipTarget;
  /** What happened: `added`, `removed`, `unchanged` or `failed`. */
  outcome: Exclude<RowOutcome, "skipped">;
  /** The server's message on failure, or why a step is unchanged. */
  message?: string;
  /** HTTP status of a failed request (0 when no response arrived). */
  status?: number;
}

/** One line of the results: what happened to one input row. */
export interface RowResult {
  /** 1-based line of the input row. */
  line: number;
  /** The username as written in the input. */
  username: string;
  /** The organisation as written in the input. */
  organisation: string;
  /** The unit as written in the input. */
  unit: string;
  /** The resolved targets in words, e.g. `organisation "Acme" (org-…)`. */
  target: string;
  /** Whether the row was added or removed. */
  action: OnboardAction;
  /** `failed` if any step failed; `added`/`removed` if any step changed; else `unchanged`. */
  outcome: RowOutcome;
  /** Server messages of failed steps, validation message of skipped rows, notes. */
  message: string;
  /** One result per membership step (none for a skipped row). */
  steps: StepResult[];
}

/** The results of a run, one per input row in file order, with counts. */
export interface OnboardResults {
  /** The input file's name, for messages. */
  file: string;
  /** Whether the run added or removed the memberships. */
  action: OnboardAction;
  /** One result per input row, in file order. */
  results: RowResult[];
  /** Number of rows per outcome (every outcome present, zero when none). */
  counts: Record<RowOutcome, number>;
}

/** Options of {@link applyOnboardPlan}. */
export interface ApplyOptions {
  /** Rows applied at once (default 4). */
  concurrency?: number;
  /** Apply the valid rows even when some are invalid (they are reported `skipped`). */
  skipInvalid?: boolean;
  /** Called after each row finishes (progress). */
  onRow?: (result: RowResult) => void;
}

/**
 * Applies `plan`: sends the needed add (or remove) requests and returns one result per
 * input row. Invalid rows are reported `skipped` when `skipInvalid` is set.
 *
 * @throws {UsageError} when the plan has invalid rows and `skipInvalid` is not set; then
 * nothing is sent.
 */
export async function applyOnboardPlan(
  client: OnboardClient,
  plan: OnboardPlan,
  options: ApplyOptions = {},
): Promise<OnboardResults> {
  if (plan.invalid.length > 0 && !options.skipInvalid) {
    throw new UsageError(
      `File "${plan.file}" has ${plan.invalid.length} invalid row(s), nothing was applied:\n${
        plan.invalid.map((i) => `  ${i.message}`).join("\n")
      }\nFix them, or pass --skip-invalid to apply the valid rows only`,
    );
  }
  const shared = new Map<string, Deferred<StepResult & { line: number }>>();
  for (const { row, steps } of plan.rows) {
    for (const step of steps) {
      if (step.ownerLine === undefined) shared.set(stepKey(step, row.username), deferred());
    }
  }
  const runRow = async (planned: PlannedRow): Promise<RowResult> => {
    const steps: StepResult[] = [];
    for (const step of planned.steps) {
      const key = stepKey(step, planned.row.username);
      if (step.ownerLine !== undefined) {
        steps.push(followerResult(await shared.get(key)!.promise, plan.action));
        continue;
      }
      const result = await runStep(client, plan.action, step, planned.row.username);
      shared.get(key)!.resolve({ ...result, line: planned.row.line });
      steps.push(result);
    }
    const result = rowResult(planned, plan.action, steps);
    options.onRow?.(result);
    return result;
  };
  // runRow never rejects (runStep turns every failure into a result), so under the pool's
  // rule (a rejection stops what has not started) one row's failure never stops the others.
  const applied = await mapPool(plan.rows, runRow, { concurrency: options.concurrency ?? 4 });
  const skipped = plan.invalid.map((issue) => skippedResult(issue, plan.action));
  const results = [...applied, ...skipped].sort((a, b) => a.line - b.line);
  return { file: plan.file, action: plan.action, results, counts: countOutcomes(results) };
}

/** Counts results per outcome (every outcome present, zero when absent). */
export function countOutcomes(results: readonly RowResult[]): Record<RowOutcome, number> {
  const counts = { added: 0, unchanged: 0, removed: 0, failed: 0, skipped: 0 };
  for (const r of results) counts[r.outcome]++;
  return counts;
}

/** Describes resolved targets in words: `organisation "Acme" (org-…) + unit "Lab" (unit-…)`. */
export function describeTargets(targets: readonly MembershipTarget[]): string {
  return targets.map((t) => `${t.kind} "${t.name}" (${t.id})`).join(" + ");
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => resolve = r);
  return { promise, resolve };
}

function stepKey(step: PlannedStep, username: string): string {
  return `${step.target.kind}\n${step.target.id}\n${username}`;
}

async function runStep(
  client: OnboardClient,
  action: OnboardAction,
  step: PlannedStep,
  username: string,
): Promise<StepResult> {
  const { target } = step;
  if (step.state === "unchanged") return { target, outcome: "unchanged", message: step.note };
  let rv: ApiRv<unknown>;
  try {
    const token = await client.tokens.getToken();
    const { api } = client;
    if (target.kind === "organisation") {
      const args = { orgId: target.id, username };
      rv = action === "add"
        ? await api.addUserToOrganisation(token, args)
        : await api.removeUserFromOrganisation(token, args);
    } else {
      const args = { unitId: target.id, username };
      rv = action === "add"
        ? await api.addUserToUnit(token, args)
        : await api.removeUserFromUnit(token, args);
    }
  } catch (error) {
    // Token or transport failures the client did not turn into an ApiRv.
    const text = error instanceof Error ? error.message : String(error);
    return { target, outcome: "failed", status: 0, message: redact(text) };
  }
  if (rv.success) return { target, outcome: action === "add" ? "added" : "removed" };
  const where = rv.httpStatusCode === 0 ? "no response" : `HTTP ${rv.httpStatusCode}`;
  return {
    target,
    outcome: "failed",
    status: rv.httpStatusCode,
    message: redact(`${where}: ${rv.msg.error}`),
  };
}

function followerResult(owner: StepResult & { line: number }, action: OnboardAction): StepResult {
  const { target, outcome, status } = owner;
  if (outcome === "failed") {
    return { target, outcome, status, message: `failed on line ${owner.line}: ${owner.message}` };
  }
  const done = action === "add" ? "added" : "removed";
  const message = outcome === "unchanged" ? owner.message : `${done} by line ${owner.line}`;
  return { target, outcome: "unchanged", message };
}

function rowResult(planned: PlannedRow, action: OnboardAction, steps: StepResult[]): RowResult {
  const { row } = planned;
  let outcome: RowOutcome = "unchanged";
  if (steps.some((s) => s.outcome === "failed")) outcome = "failed";
  else if (steps.some((s) => s.outcome !== "unchanged")) {
    outcome = action === "add" ? "added" : "removed";
  }
  const many = steps.length > 1;
  const message = steps
    .map((s) => {
      const text = s.outcome === "failed" || s.outcome === "unchanged" ? s.message : undefined;
      if (!many) return text;
      return `${s.target.kind} ${s.outcome}${text ? `: ${text}` : ""}`;
    })
    .filter((m): m is string => !!m)
    .join("; ");
  return {
    line: row.line,
    username: row.username,
    organisation: row.organisation,
    unit: row.unit,
    target: describeTargets(planned.steps.map((s) => s.target)),
    action,
    outcome,
    message,
    steps,
  };
}

function skippedResult(issue: RowIssue, action: OnboardAction): RowResult {
  return {
    line: issue.line,
    username: issue.row?.username ?? "",
    organisation: issue.row?.organisation ?? "",
    unit: issue.row?.unit ?? "",
    target: "",
    action,
    outcome: "skipped",
    message: issue.message,
    steps: [],
  };
}
