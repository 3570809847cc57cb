/**
 * Turning parsed onboarding rows into a plan: organisation and unit names resolved to ids,
 * every row checked against what the Account Server knows (unknown, ambiguous, personal
 * units, a unit outside the named organisation, duplicates), and every membership compared
 * with the current `users` list of its organisation or unit (fetched once per target).
 *
 * @module
 */

import { unwrap } from "../../client/as/api_rv.ts";
import type { OrganisationAllDetail, UnitAllDetail } from "../../client/types.ts";
import { mapPool } from "../_pool.ts";
import { loadDirectory, resolveRow } from "./resolve.ts";
import type { OnboardRow, ParsedOnboardCsv, RowIssue } from "./csv.ts";
import type { MembershipTarget, OnboardAction, OnboardClient } from "./types.ts";

/** One membership change of a row. */
export interface PlannedStep {
  /** The organisation or unit of the step. */
  target: MembershipTarget;
  /** `change`: the request is needed; `unchanged`: the server is already in that state. */
  state: "change" | "unchanged";
  /** Set when an earlier row has the same step: that row performs it, this one waits. */
  ownerLine?: number;
  /** Why the step is unchanged when that is not obvious (e.g. the unit's owner). */
  note?: string;
}

/** A valid row with its steps (organisation first when adding, unit first when removing). */
export interface PlannedRow {
  /** The input row. */
  row: OnboardRow;
  /** Its membership steps, in the order they are applied. */
  steps: PlannedStep[];
}

/** The outcome of {@link buildOnboardPlan}. */
export interface OnboardPlan {
  /** The input file's name, for messages. */
  file: string;
  /** Whether the plan adds or removes the memberships. */
  action: OnboardAction;
  /** Rows that can be applied, in file order. */
  rows: PlannedRow[];
  /** Rows that cannot, from parsing and from resolution, in file order. */
  invalid: RowIssue[];
}

/** Options of {@link buildOnboardPlan}. */
export interface BuildPlanOptions {
  /** `add` (default) or `remove`. */
  action?: OnboardAction;
  /** How many membership lists to fetch at once (default 4). */
  concurrency?: number;
}

/**
 * Resolves and checks every row of `parsed` against the server and builds the plan.
 * Nothing is changed on the server. Throws an `ApiError` when a listing fails.
 */
export async function buildOnboardPlan(
  client: OnboardClient,
  parsed: ParsedOnboardCsv,
  options: BuildPlanOptions = {},
): Promise<OnboardPlan> {
  const action = options.action ?? "add";
  const dir = await loadDirectory(client);
  const invalid: RowIssue[] = [...parsed.issues];
  const resolved: { row: OnboardRow; targets: MembershipTarget[] }[] = [];
  const seen = new Map<string, number>();
  for (const row of parsed.rows) {
    const at = `File "${parsed.file}" line ${row.line}`;
    const result = resolveRow(dir, row);
    if (typeof result === "string") {
      invalid.push({ line: row.line, row, message: `${at}: ${result}` });
      continue;
    }
    const key = [row.username, ...result.map((t) => t.id)].join("\n");
    const first = seen.get(key);
    if (first !== undefined) {
      invalid.push({
        line: row.line,
        row,
        message: `${at}: duplicates line ${first} (same user and targets); delete one of the two`,
      });
      continue;
    }
    seen.set(key, row.line);
    resolved.push({ row, targets: action === "add" ? result : [...result].reverse() });
  }
  const members = await loadMembers(client, resolved.flatMap((r) => r.targets), options);
  const owners = new Map<string, number>();
  const rows: PlannedRow[] = [];
  for (const { row, targets } of resolved) {
    const states = targets.map((t) => stepState(action, members.get(t.id)!, row.username, t));
    const blocked = states.find((s) => typeof s === "string");
    if (typeof blocked === "string") {
      invalid.push({
        line: row.line,
        row,
        message: `File "${parsed.file}" line ${row.line}: ${blocked}`,
      });
      continue;
    }
    const steps = targets.map((target, i): PlannedStep => {
      const key = `${target.kind}\n${target.id}\n${row.username}`;
      const ownerLine = owners.get(key);
      if (ownerLine === undefined) owners.set(key, row.line);
      return { target, ownerLine, ...(states[i] as Pick<PlannedStep, "state" | "note">) };
    });
    rows.push({ row, steps });
  }
  invalid.sort((a, b) => a.line - b.line);
  return { file: parsed.file, action, rows, invalid };
}

interface Members {
  users: Set<string>;
  /** The owner counts as a member but is not listed in `users` (absent for Default). */
  owner?: string;
  kind: MembershipTarget["kind"];
}

async function loadMembers(
  client: OnboardClient,
  targets: MembershipTarget[],
  options: BuildPlanOptions,
): Promise<Map<string, Members>> {
  const distinct = [...new Map(targets.map((t) => [t.id, t])).values()];
  const out = new Map<string, Members>();
  // A failed look-up fails the plan: the pool starts no further look-ups and rejects.
  await mapPool(distinct, async (target) => {
    const token = await client.tokens.getToken();
    let detail: OrganisationAllDetail | UnitAllDetail;
    if (target.kind === "organisation") {
      const rv = await client.api.getOrganisation(token, { orgId: target.id });
      detail = unwrap(rv, `Get the users of organisation "${target.name}" (${target.id})`);
    } else {
      const rv = await client.api.getUnit(token, { unitId: target.id });
      detail = unwrap(rv, `Get the users of unit "${target.name}" (${target.id})`);
    }
    const owner = detail.owner_id;
    out.set(target.id, { users: new Set(detail.users.map((u) => u.id)), owner, kind: target.kind });
  }, { concurrency: options.concurrency ?? 4 });
  return out;
}

function stepState(
  action: OnboardAction,
  info: Members,
  username: string,
  target: MembershipTarget,
): Pick<PlannedStep, "state" | "note"> | string {
  const listed = info.users.has(username);
  // The AS counts the owner of an organisation or unit as a member without listing it.
  const isOwner = info.owner === username && !listed;
  if (action === "add") {
    if (listed) return { state: "unchanged", note: "already a member" };
    if (isOwner) {
      return { state: "unchanged", note: `owner of the ${target.kind} (a member already)` };
    }
    return { state: "change" };
  }
  if (listed) return { state: "change" };
  // An owner cannot be removed (the AS answers 400): offboarding them would silently leave
  // their access in place, so the row is refused before anything is applied.
  if (isOwner) {
    return `user "${username}" owns ${target.kind} "${target.name}" and cannot be removed from it; transfer the ownership first or delete the row`;
  }
  return { state: "unchanged", note: "not a member" };
}
