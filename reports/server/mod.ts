/**
 * The report server finance uses: a Hono app that lists organisations and serves their
 * charge reports, behind bearer tokens or Keycloak sign-in. It loads Hono, so it has its
 * own entry point apart from the reports.
 *
 * @module
 */

export * from "./app.ts";
