/**
 * Charges: the scope (all, an organisation, a unit or a product), billing periods, the
 * collection of charge rows from the Account Server, exact totals, the reconciliation with
 * the server's own totals, and the report model ({@link ChargeReport}) the writers take.
 *
 * @module
 */

export {
  collectChargeReports,
  collectCharges,
  type CollectManyResult,
  type CollectResult,
} from "./collect.ts";
export type {
  ChargesApi,
  CollectContext,
  CollectOptions,
  PeriodQuery,
  ScopeRequest,
} from "./collect_types.ts";
export { parseScope } from "./scope.ts";
export {
  billingPeriodFor,
  type DateRange,
  DEFAULT_PBP,
  describePeriod,
  isOpenPeriod,
  monthLabel,
  monthName,
  monthOf,
  type MonthRange,
  monthRange,
  parseDateRange,
  parseMonth,
  parseMonths,
  parsePbp,
  parsePeriodFlags,
  type PeriodFlags,
  periodForPbp,
  type PeriodRequest,
  previousMonth,
  priorPeriods,
} from "./periods.ts";
export { CHARGE_TYPES, computeTotals, type ComputeTotalsOptions } from "./totals.ts";
export {
  describeMismatches,
  reconcile,
  reconciliationProblem,
  type ServerEntityTotal,
  type ServerTotals,
  type TypeCoins,
} from "./reconcile.ts";
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
export {
  type ChangeAmounts,
  type ChangeKind,
  type ChangeLine,
  type ChangeMoney,
  type ChangePeriod,
  type ChangeSide,
  type ChangeStatus,
  type ChangeTable,
  type CoinsChange,
  compareCoins,
  computeChange,
  type ComputeChangeOptions,
  DEFAULT_FLAG_CHANGE,
  parseFlagChange,
} from "./change.ts";
export {
  attachChanges,
  type AttachChangesOptions,
  changeFor,
  periodKey,
  type PreviousPeriod,
  previousPeriod,
  reportAmounts,
  withPreviousPeriods,
} from "./change_periods.ts";
export { flagChangeFromEnv } from "./change_env.ts";
