/**
 * Charges: the scope (all, an organisation, a unit or a product), billing periods, the
 * collection of charge rows from the Account Server, exact totals, the reconciliation with
 * the server's own totals, and the report model ({@link ChargeReport}) the writers take.
 *
 * @module
 */

export {
  type ChargesApi,
  collectChargeReports,
  collectCharges,
  type CollectContext,
  type CollectManyResult,
  type CollectOptions,
  type CollectResult,
  type PeriodRequest,
  type ScopeRequest,
} from "./collect.ts";
export {
  looksLikeId,
  parseScope,
  type ResolvedScope,
  resolveScope,
  type ScopeSource,
} from "./scope.ts";
export {
  billingPeriodFor,
  type DateRange,
  DEFAULT_PBP,
  describePeriod,
  parseDateRange,
  parsePbp,
  parsePeriodFlags,
  type PeriodFlags,
  periodForPbp,
  priorPeriods,
} from "./periods.ts";
export { CHARGE_TYPES, computeTotals } from "./totals.ts";
export { describeMismatches, reconcile, type ServerTotals } from "./reconcile.ts";
export {
  CHARGE_COLUMNS,
  type ChargeReport,
  type ChargeRow,
  type Reconciliation,
  type ReconciliationCheck,
  type ReportPeriod,
  type ReportTotals,
  type ScopeKind,
  type Total,
} from "./model.ts";
