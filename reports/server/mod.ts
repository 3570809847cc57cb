/**
 * The report server finance uses: a Hono app that lists organisations and serves their
 * charge reports, behind bearer tokens or Keycloak sign-in. It loads Hono, so it has its
 * own entry point apart from the reports.
 *
 * @example
 * ```ts
 * import { AsApi, tokenSourceFromEnv } from "@squonk2/billing/client";
 * import { createReportServer } from "@squonk2/billing/server";
 *
 * const app = createReportServer({
 *   api: new AsApi(), // SQUONK2_ASAPI_URL
 *   tokens: tokenSourceFromEnv(),
 *   sourceUrl: Deno.env.get("SQUONK2_ASAPI_URL") ?? "",
 *   auth: { tokens: ["a-long-random-secret"] },
 * });
 * const res = await app.request("/healthz");
 * console.log(res.status, await res.json());
 * ```
 *
 * @module
 */

export {
  ACCEPTED_ALGORITHMS,
  type AccessClaims,
  AUTH_REALM,
  type AuthOptions,
  createJwksVerifier,
  createReportServer,
  hasRealmRole,
  type JwksVerifier,
  type JwksVerifierOptions,
  type OidcAuthOptions,
  parseAuthTokens,
  type Principal,
  type ReportServerApp,
  type ReportServerCacheOptions,
  type ReportServerOptions,
  type ServerApi,
} from "./app.ts";

// Types that appear in the signatures above, re-exported so that this entry documents
// itself: from the reports, the API slice the server calls and the report store it lists;
// from the client, access tokens and the Account Server's answers. Their homes are
// "@squonk2/billing/reports" and "@squonk2/billing/client".
export type {
  ChargesApi,
  OpenReportStore,
  PeriodQuery,
  Rate,
  RateTable,
  ReportStore,
  ScopeKind,
  StoredFormat,
  StoredReport,
  StoredReportBody,
  StoredReportInput,
  StorePutOptions,
} from "../mod.ts";
export type {
  AccessTokenSource,
  ApiError,
  ApiRv,
  ApiRvFailure,
  ApiRvSuccess,
  BillingError,
} from "../../client/mod.ts";
export type * from "../../client/types.ts";
