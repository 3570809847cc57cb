/**
 * Fetching the server's own totals for a scope and period, to reconcile the computed ones
 * with: the unit summary for a unit, the organisation summary (with its `unit_charges`) for
 * an organisation, and `GET /charges` for `all` (admins), falling back to one organisation
 * summary per organisation when the caller may not use it.
 *
 * @module
 */

import type { ApiRv } from "../../client/as/api_rv.ts";
import { unwrap } from "../../client/as/api_rv.ts";
import { ProtocolError } from "../../client/errors.ts";
import type { OrganisationChargesGetResponse } from "../../client/types.ts";
import type { PeriodQuery } from "./collect_types.ts";
import type { DateRange } from "./periods.ts";
import { normaliseServerDate } from "./periods.ts";
import { type ServerTotals, summaryCoins } from "./reconcile.ts";
import type { ResolvedScope, ScopeSource } from "./scope.ts";

/** What the server-totals step found for one period. */
export interface ServerFindings {
  totals: ServerTotals;
  /** Unit periods the summaries state (covers units without products). */
  ranges: DateRange[];
  /**
   * Things a reader should know about how the totals were read (e.g. `all` reconciled per
   * organisation). Totals that could not be read are in `totals.unchecked` instead, so that
   * the report itself states them.
   */
  notes: string[];
}

/**
 * A 403 or 404 means "this summary is not available to you" (the reference: the Default
 * organisation's charges are 403; `GET /charges` needs admin): not compared, and said so in
 * the report, not a failure. Anything else that failed is rethrown by `unwrap`: a malformed
 * answer (a `ProtocolError`, whatever its status), a 401, and a 408 or 429 above all, which
 * say "not now", not "not yours": taking them for a refusal would skip the comparison.
 */
function unavailable(rv: ApiRv<unknown>): boolean {
  return !rv.success && !(rv.error instanceof ProtocolError) &&
    (rv.httpStatusCode === 403 || rv.httpStatusCode === 404);
}

/** What {@link serverTotalTasks} reads: a resolved scope in one period. */
export interface ServerTotalsRequest {
  scope: ResolvedScope;
  query: PeriodQuery;
  /** Runs follow-up tasks (the per-organisation fallback of `all`) in the caller's pool. */
  more: (tasks: (() => Promise<void>)[]) => Promise<void>;
}

/**
 * Returns the requests that read the server's totals for a scope in a period, as thunks
 * for the caller's pool, and the object they fill in.
 */
export function serverTotalTasks(
  source: ScopeSource,
  request: ServerTotalsRequest,
): { tasks: (() => Promise<void>)[]; findings: ServerFindings } {
  const { calls, api } = source;
  const { scope, query, more } = request;
  const findings: ServerFindings = {
    totals: { skipOrganisations: new Set(), unchecked: [] },
    ranges: [],
    notes: [],
  };
  const totals = findings.totals;
  const addOrganisation = (org: OrganisationChargesGetResponse) => {
    totals.organisations ??= new Map();
    totals.organisations.set(org.organisation_id, {
      name: org.name,
      byType: summaryCoins(org.summary),
      coins: org.coins,
    });
    totals.units ??= new Map();
    for (const u of org.unit_charges) {
      totals.units.set(u.unit_id, { name: u.name, byType: summaryCoins(u.summary) });
      findings.ranges.push({
        from: normaliseServerDate(u.from),
        until: normaliseServerDate(u.until),
      });
    }
  };
  const organisationTask = (id: string, name: string) => async () => {
    const rv = await calls.try(
      `Get charges of organisation ${id}`,
      (t) => api.getOrganisationCharges(t, { orgId: id, ...query }),
    );
    if (unavailable(rv)) {
      // Refused (e.g. the Default organisation's charges are 403 for everyone): this
      // organisation's unit and organisation totals cannot be compared. The report says so
      // (`reconciliation.unchecked`); its product totals are still compared.
      totals.skipOrganisations!.add(id);
      totals.unchecked!.push(
        `organisation ${id} ("${name}"): unit and organisation totals not available to this account (HTTP ${rv.httpStatusCode})`,
      );
      return;
    }
    addOrganisation(unwrap(rv, `Get charges of organisation ${id}`));
  };
  switch (scope.kind) {
    case "product":
      return { tasks: [], findings };
    case "unit": {
      const unitId = scope.id;
      return {
        findings,
        tasks: [async () => {
          const u = await calls.call(
            `Get charges of unit ${unitId}`,
            (t) => api.getUnitCharges(t, { unitId, ...query }),
          );
          totals.units = new Map([[u.unit_id, {
            // `name?` is optional in UnitChargesGetResponse (the reference gives no meaning
            // to its absence): without it, the name the unit was resolved by is shown.
            name: u.name === undefined ? scope.name : u.name,
            byType: summaryCoins(u.summary.charges),
            coins: u.coins,
          }]]);
          totals.products = new Map(
            u.products.map((p) => [p.product_id, { name: "", byType: summaryCoins(p.charges) }]),
          );
          findings.ranges.push({
            from: normaliseServerDate(u.from),
            until: normaliseServerDate(u.until),
          });
        }],
      };
    }
    case "organisation":
      return { findings, tasks: [organisationTask(scope.id, scope.name)] };
    case "all":
      return {
        findings,
        tasks: [async () => {
          const rv = await calls.try("Get all charges", (t) => api.getCharges(t, query));
          if (!unavailable(rv)) {
            const all = unwrap(rv, "Get all charges");
            totals.grand = { name: "all", byType: summaryCoins(all.summary), coins: all.coins };
            totals.organisations = new Map(
              all.organisation_charges.map((o) => [o.organisation_id, {
                name: o.name,
                byType: summaryCoins(o.summary),
              }]),
            );
            return;
          }
          findings.notes.push(
            `GET /charges needs admin rights (HTTP ${rv.httpStatusCode}): reconciled per organisation instead`,
          );
          const orgs = new Map(scope.products.map((p) => [p.organisation.id, p.organisation.name]));
          await more([...orgs].map(([id, name]) => organisationTask(id, name)));
        }],
      };
  }
}
