/**
 * The sandbox: a local simulator of the Account Server, its Keycloak token endpoint and
 * XQ, on one port, with fault injection, request statistics and admin routes. Tests, the
 * demo and the benchmarks start it in process with {@link startSandbox}; `deno task
 * sandbox` runs it standalone.
 *
 * @example
 * ```ts
 * import { startSandbox } from "@squonk2/billing/sandbox";
 * import { AsApi, KeycloakTokenSource, unwrap } from "@squonk2/billing/client";
 *
 * const sandbox = await startSandbox({ seed: 7, now: "2026-03-15T12:00:00Z" });
 * try {
 *   const api = new AsApi({ url: sandbox.asUrl });
 *   const tokens = new KeycloakTokenSource({
 *     keycloakUrl: sandbox.keycloakUrl,
 *     realm: sandbox.realm,
 *     clientId: sandbox.clientId,
 *     clientSecret: sandbox.clientSecret,
 *   });
 *   const { organisations } = unwrap(await api.getOrganisations(await tokens.getToken()));
 *   console.log(organisations.map((org) => org.name));
 * } finally {
 *   await sandbox.close();
 * }
 * ```
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";
import { randomSecret } from "../client/secrets.ts";
import { createAdminApp } from "./admin.ts";
import { createAsApp } from "./as/app.ts";
import { ROLE_ADMIN, ROLE_USER } from "./data/users.ts";
import { createFaultInjector, type FaultsConfig } from "./faults.ts";
import { createGatewayApp } from "./gateway.ts";
import { createKeycloak } from "./keycloak/mod.ts";
import {
  createSandboxState,
  type DemoUser,
  type SandboxSizes,
  type SandboxState,
} from "./state.ts";
import { createStatsCounter, type SandboxStats } from "./stats.ts";
import { createXqApp } from "./xq/app.ts";

export type { FaultKind, FaultRule, FaultsConfig, FaultTarget } from "./faults.ts";
export { parseFaultsConfig } from "./faults.ts";
export type { SandboxStats } from "./stats.ts";
export type { DemoUser, Principal, SandboxSizes, SandboxState } from "./state.ts";
export type {
  ActionRecord,
  AssetRecord,
  EventStreamRecord,
  MerchantRecord,
  OrgRecord,
  ProductRecord,
  UnitRecord,
} from "./data/records.ts";
export type { GeneratedCharges } from "./data/charges.ts";
export type { Period } from "./periods.ts";
export type { Service } from "./faults_match.ts";
export type {
  ChargeAdditionalData,
  EventStreamFormat,
  FlavourEnum,
  MerchantKind,
  PrivacyEnum,
  ProcessingChargeItem,
  ProcessingCharges,
  ProductTypeEnum,
  ScopeEnum,
  StorageChargeItem,
} from "../client/types.ts";
export { ADMIN_KEY_HEADER } from "./admin.ts";

/** Options of {@link startSandbox}. */
export interface StartSandboxOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  hostname?: string;
  /** Seed of all demo data (and of faults without their own seed). @default 1 */
  seed?: number;
  /** The data clock (places charges in billing periods). @default the real time */
  now?: Date | string;
  /** Demo data sizes. */
  sizes?: Partial<SandboxSizes>;
  /** Faults injected from the start. @default none */
  faults?: FaultsConfig;
  /** Access token lifetime in seconds (real time). @default 300 */
  tokenLifetimeS?: number;
  /** Refresh token lifetime in seconds (real time). @default 1800 */
  refreshTokenLifetimeS?: number;
  /** Key guarding `/_sandbox/*` and the XQ outbox. @default random */
  adminKey?: string;
  /** Log nothing at all, not even internal errors, to stderr. @default false */
  quiet?: boolean;
  /** Also log one line per request to stderr (the CLI does). @default false */
  logRequests?: boolean;
}

/** XQ endpoints and keys of a running sandbox. */
export interface SandboxXq {
  /** `${url}/xq/subscription/v2`. */
  subscriptionUrl: string;
  /** `${url}/xq/validation/v2`. */
  validationUrl: string;
  /** The accepted `api-key`. */
  apiKey: string;
  /** The accepted dashboard API key. */
  dashboardApiKey: string;
}

/** A started sandbox. */
export interface RunningSandbox {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `${url}/account-server-api`. */
  asUrl: string;
  /** `${url}/auth` (Keycloak's legacy context path, like the reference). */
  keycloakUrl: string;
  /** Realm name: "squonk". */
  realm: string;
  /** The AS client id: "account-server-api". */
  clientId: string;
  /** The AS client's secret (client-credentials grant). */
  clientSecret: string;
  /** Demo users with their sandbox-only passwords and roles. */
  users: DemoUser[];
  /** Guards `/_sandbox/*` (header `X-Sandbox-Admin-Key`) and the XQ outbox. */
  adminKey: string;
  /** XQ endpoints and keys. */
  xq: SandboxXq;
  /** The AS state, for in-process ground truth. */
  state: SandboxState;
  /** Replaces the faults (validated; throws `UsageError` when invalid). */
  setFaults(faults: FaultsConfig): void;
  /** Request counts since start or the last reset. */
  stats(): SandboxStats;
  /** Zeroes the request counts. */
  resetStats(): void;
  /** Stops serving and waits for in-flight requests; safe to call twice. */
  close(): Promise<void>;
}

/** The URL host for a listening address (wildcards map to loopback). */
function urlHost(hostname: string): string {
  if (hostname === "0.0.0.0") return "127.0.0.1";
  if (hostname === "::") return "[::1]";
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

/**
 * Starts the sandbox on one port and resolves once it is listening. Invalid options
 * (faults, sizes, clock, lifetimes, a port in use) reject with a `UsageError` and leave
 * nothing running.
 *
 * Token expiry runs on real wall time, while the AS data uses the sandbox clock
 * (`now`), so a sandbox dated in the past still issues tokens that expire when a client
 * expects them to.
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const seed = options.seed ?? 1;
  const hostname = options.hostname ?? "127.0.0.1";
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`Invalid port "${port}": use 0 (any free port) up to 65535`);
  }
  const state = createSandboxState({ seed, now: options.now, sizes: options.sizes });
  const adminKey = options.adminKey ?? randomSecret();
  const stats = createStatsCounter();
  const faults = createFaultInjector(options.faults ?? {}, {
    defaultSeed: seed,
    onInject: () => stats.countFault(),
  });
  const origin = { url: "" };
  const keycloak = await createKeycloak({
    users: () => state.users,
    serviceAccountRoles: [ROLE_ADMIN, ROLE_USER],
    keycloakUrl: () => `${origin.url}/auth`,
    tokenLifetimeS: options.tokenLifetimeS,
    refreshTokenLifetimeS: options.refreshTokenLifetimeS,
  });
  const xqKeys = { apiKey: randomSecret(), dashboardApiKey: randomSecret() };
  const app = createGatewayApp({
    as: createAsApp(state, { authenticate: keycloak.authenticate }),
    keycloak: keycloak.app,
    xq: createXqApp({ now: () => state.now(), ...xqKeys, adminKey, seed }),
    admin: createAdminApp({ adminKey, faults, stats, clock: state }),
    faults,
    stats,
  }, {
    log: options.quiet ? undefined : (line) => console.error(`sandbox: ${line}`),
    logRequests: options.logRequests,
  });

  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ port, hostname, onListen() {} }, app.fetch);
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new UsageError(`Port ${port} on ${hostname} is in use: choose another port, or 0`);
    }
    throw error;
  }
  origin.url = `http://${urlHost(hostname)}:${server.addr.port}`;
  let closing: Promise<void> | undefined;
  const url = origin.url;

  return {
    url,
    asUrl: `${url}/account-server-api`,
    keycloakUrl: `${url}/auth`,
    realm: keycloak.realm,
    clientId: keycloak.clientId,
    clientSecret: keycloak.clientSecret,
    users: state.users.map((u) => ({ ...u, roles: [...u.roles] })),
    adminKey,
    xq: {
      subscriptionUrl: `${url}/xq/subscription/v2`,
      validationUrl: `${url}/xq/validation/v2`,
      ...xqKeys,
    },
    state,
    setFaults: (config) => faults.set(config),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close() {
      closing ??= server.shutdown();
      return closing;
    },
  };
}
