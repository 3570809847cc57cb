/**
 * The reports, `@squonk2/billing/reports`: what the scripts are made of.
 *
 * - Charges: {@link collectCharges} and {@link collectChargeReports} turn a scope and
 *   period into a {@link ChargeReport} (its {@link ChargeRow}s, exact totals, and the
 *   {@link reconcile | reconciliation} with the server's own totals, which callers gate on
 *   with {@link reconciliationProblem}); {@link parseScope} and {@link parsePeriodFlags}
 *   read the scripts' arguments.
 * - Writers: {@link writeChargesCsv} and {@link writeChargesXlsx} stream a report into any
 *   `WritableStream`; {@link renderReport} picks one by format; {@link exportReportsToFiles}
 *   writes files all or nothing under {@link chargesFileName}.
 * - Onboarding: {@link parseOnboardCsv}, {@link buildOnboardPlan}, {@link applyOnboardPlan},
 *   {@link writeResultsCsv}.
 * - The report store: {@link openReportStore} (a directory or Deno KV), {@link storeReport}.
 * - Scheduled exports: {@link runExportCycle} once, {@link createScheduledRun} for
 *   `Deno.cron`.
 * - Sealed delivery with XQ: {@link sealFiles}, {@link unsealBytes}.
 *
 * The error classes the reports throw, and the client types their signatures use, are
 * re-exported here too. The report server has its own entry point,
 * `@squonk2/billing/server`, because it loads Hono.
 *
 * @example Export last month's charges of every organisation the account can see
 * ```ts
 * import { AsApi, tokenSourceFromEnv } from "@squonk2/billing/client";
 * import {
 *   collectCharges,
 *   exportToFiles,
 *   ReconciliationError,
 *   reconciliationProblem,
 * } from "@squonk2/billing/reports";
 *
 * const url = "https://example.com/account-server-api";
 * const api = new AsApi({ url });
 * const ctx = { api, tokens: tokenSourceFromEnv(), sourceUrl: url, sandbox: false };
 * const { report } = await collectCharges(ctx, {
 *   scope: { kind: "all" },
 *   period: { pbp: -1 },
 * });
 * const problem = reconciliationProblem(report.reconciliation);
 * if (problem !== undefined) throw new ReconciliationError(`Not reconciled: ${problem}`);
 * for (const file of await exportToFiles(report, { formats: ["xlsx", "csv"] })) {
 *   console.log(file.path, file.bytes);
 * }
 * ```
 *
 * @module
 */

export * from "./charges/mod.ts";
export * from "./writers/mod.ts";
export * from "./pricing/mod.ts";
export * from "./onboard/mod.ts";
export * from "./store/mod.ts";
export * from "./schedule/mod.ts";
export * from "./seal/mod.ts";

// From the client, for the signatures above: the errors the reports throw (values, for
// `instanceof`), and as types the narrow API slices' answers, token sources and XQ calls.
// Their home is "@squonk2/billing/client".
export {
  ApiError,
  AuthError,
  BillingError,
  ConfigError,
  NetworkError,
  ProtocolError,
  ReconciliationError,
  SealError,
  StoreError,
  TimeoutError,
  UsageError,
  XqError,
} from "../client/mod.ts";
export type {
  AccessTokenSource,
  ApiRv,
  ApiRvFailure,
  ApiRvSuccess,
  AuthorizeAliasOptions,
  AuthorizeUserOptions,
  EnvLookup,
  PacketOptions,
  PacketsOptions,
  XqApi,
  XqApiKeyInfo,
  XqKey,
} from "../client/mod.ts";
// The Account Server answers (generated from the client's schemas) that ChargesApi and
// OnboardApi resolve to.
export type * from "../client/types.ts";
