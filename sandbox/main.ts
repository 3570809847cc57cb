/**
 * `deno task sandbox`: runs the sandbox (AS + Keycloak token endpoint + XQ) standalone
 * until SIGINT or SIGTERM, printing how to reach it.
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";
import { parseFlags, runCli } from "./cli.ts";
import { ROLE_ADMIN } from "./data/users.ts";
import { parseFaultsConfig, type RunningSandbox, startSandbox } from "./mod.ts";

const HELP =
  `deno task sandbox - a local Squonk2 Account Server, Keycloak and XQ for tests and demos

Usage:
  deno task sandbox [--port N] [--hostname H] [--seed N] [--now ISO] [--faults JSON]
                    [--token-lifetime S] [--json] [--quiet] [--help]

Everything is served on one port:
  /account-server-api/...   the Account Server API 4.4 (needs a bearer token except /version)
  /auth/realms/squonk/...   Keycloak: protocol/openid-connect/token (grants password,
                            client_credentials, refresh_token), .../certs (JWKS),
                            .well-known/openid-configuration
  /xq/subscription/v2/...   XQ subscription API (header api-key)
  /xq/validation/v2/...     XQ validation API
  /_sandbox/...             admin (header X-Sandbox-Admin-Key): GET/PUT faults,
                            GET stats, POST stats/reset, GET/PUT clock

Options:
  --port N            TCP port; 0 picks a free one (default 0)
  --hostname H        interface to listen on (default 127.0.0.1)
  --seed N            seed of all demo data and of fault rates (default 1)
  --now ISO           the data clock, e.g. 2026-03-15T12:00:00Z (default: now); it places
                      charges in billing periods. Token expiry always uses real time.
  --faults JSON       faults injected from the start (default: none; env SANDBOX_FAULTS is
                      read when the flag is absent), e.g.
                      '{"latencyMs":20,"rules":[{"path":"/charges/**","kind":"status",
                        "status":503,"times":2}]}'
                      rule fields: target (as|keycloak|xq|all, default as), methods, path
                      (glob relative to the target, * within a segment, ** across),
                      kind (status|drop|truncate|slow-body|empty-body|wrong-type|html|
                      trickle), status, retryAfterS, rate (0..1, seeded), times (first N),
                      delayMs (slow-body, default 5000), field + value (wrong-type: dot
                      path such as products.0.charges, value default another JSON type),
                      durationMs (trickle, default 10000)
  --token-lifetime S  access token lifetime in seconds (default 300)
  --json              print ONE line of JSON on stdout first (as_url, keycloak_url, realm,
                      client_id, client_secret, users, admin_key, xq_* urls and keys)
  --quiet             no request log on stderr
  --debug             print stack traces of errors
  --help              this text

The demo users' passwords, the client secret, the XQ keys and the admin key are printed
on purpose: they open nothing but this local sandbox. Stop with Ctrl+C (SIGINT) or SIGTERM.
Exit status: 0 after a clean stop, 1 on failure, 2 on bad usage.
`;

function integer(flag: string, text: string | undefined, min: number, max: number) {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new UsageError(`Invalid ${flag} "${text}": give a whole number from ${min} to ${max}`);
  }
  return n;
}

function faultsFrom(text: string | undefined, source: string) {
  if (text === undefined || text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `Invalid ${source} JSON "${text}": ${(error as Error).message}; give a FaultsConfig object`,
    );
  }
  return parseFaultsConfig(value);
}

/** The `--json` first line: everything a client needs to reach the sandbox. */
export function connectionInfo(sandbox: RunningSandbox): Record<string, unknown> {
  return {
    url: sandbox.url,
    as_url: sandbox.asUrl,
    keycloak_url: sandbox.keycloakUrl,
    realm: sandbox.realm,
    client_id: sandbox.clientId,
    client_secret: sandbox.clientSecret,
    users: sandbox.users.map(({ username, password, roles }) => ({ username, password, roles })),
    admin_key: sandbox.adminKey,
    xq_subscription_url: sandbox.xq.subscriptionUrl,
    xq_validation_url: sandbox.xq.validationUrl,
    xq_api_key: sandbox.xq.apiKey,
    xq_dashboard_api_key: sandbox.xq.dashboardApiKey,
    data_clock: sandbox.state.now().toISOString(),
  };
}

function summary(sandbox: RunningSandbox, seed: number): string {
  const admin = sandbox.users.find((u) => u.roles.includes(ROLE_ADMIN)) ??
    sandbox.users[0];
  const width = Math.max(...sandbox.users.map((u) => u.username.length));
  const pwWidth = Math.max(...sandbox.users.map((u) => u.password.length));
  return [
    `Squonk2 sandbox listening on ${sandbox.url} (seed ${seed}, data clock ${sandbox.state.now().toISOString()})`,
    `  Account Server  ${sandbox.asUrl}`,
    `  Keycloak        ${sandbox.keycloakUrl}  realm ${sandbox.realm}, client ${sandbox.clientId}`,
    `  XQ              ${sandbox.xq.subscriptionUrl}  ${sandbox.xq.validationUrl}`,
    `  Admin key       ${sandbox.adminKey}  (header X-Sandbox-Admin-Key, ${sandbox.url}/_sandbox/)`,
    `  Demo users (sandbox-only passwords):`,
    ...sandbox.users.map((u) =>
      `    ${u.username.padEnd(width)}  ${u.password.padEnd(pwWidth)}  ${u.roles.join(", ")}`
    ),
    ``,
    `Environment for the scripts (e.g. a .env file for --env-file):`,
    `  SQUONK2_ASAPI_URL=${sandbox.asUrl}`,
    `  SQUONK2_KEYCLOAK_URL=${sandbox.keycloakUrl}`,
    `  SQUONK2_KEYCLOAK_REALM=${sandbox.realm}`,
    `  SQUONK2_KEYCLOAK_AS_CLIENT_ID=${sandbox.clientId}`,
    `  SQUONK2_KEYCLOAK_AS_CLIENT_SECRET=${sandbox.clientSecret}`,
    `  SQUONK2_KEYCLOAK_USER=${admin.username}`,
    `  SQUONK2_KEYCLOAK_USER_PASSWORD=${admin.password}`,
    `  XQ_SUBSCRIPTION_URL=${sandbox.xq.subscriptionUrl}`,
    `  XQ_VALIDATION_URL=${sandbox.xq.validationUrl}`,
    `  XQ_API_KEY=${sandbox.xq.apiKey}`,
    `  XQ_DASHBOARD_API_KEY=${sandbox.xq.dashboardApiKey}`,
    ``,
    `Press Ctrl+C to stop.`,
  ].join("\n");
}

/** Resolves when SIGINT or SIGTERM arrives (listeners are removed afterwards). */
function untilSignal(): Promise<Deno.Signal> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
    const handlers = signals.map((signal) => {
      const handler = () => {
        for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
        resolve(signal);
      };
      Deno.addSignalListener(signal, handler);
      return [signal, handler] as const;
    });
  });
}

/** Runs the CLI with `args`; resolves to the exit code once the sandbox has stopped. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseFlags(args, {
    options: {
      port: { type: "string" },
      hostname: { type: "string" },
      seed: { type: "string" },
      now: { type: "string" },
      faults: { type: "string" },
      "token-lifetime": { type: "string" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const { values } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const seed = integer("--seed", values.seed, 0, 2 ** 32 - 1) ?? 1;
  const faults = values.faults !== undefined
    ? faultsFrom(values.faults, "--faults")
    : faultsFrom(Deno.env.get("SANDBOX_FAULTS"), "SANDBOX_FAULTS");
  const sandbox = await startSandbox({
    port: integer("--port", values.port, 0, 65535) ?? 0,
    hostname: values.hostname,
    seed,
    now: values.now,
    faults,
    tokenLifetimeS: integer("--token-lifetime", values["token-lifetime"], 1, 86_400),
    quiet: values.quiet,
    logRequests: !values.quiet,
  });
  const stopped = untilSignal();
  console.log(values.json ? JSON.stringify(connectionInfo(sandbox)) : summary(sandbox, seed));
  const signal = await stopped;
  if (!values.quiet) console.error(`sandbox: ${signal} received, stopping`);
  await sandbox.close();
  return 0;
}

if (import.meta.main) {
  await runCli(main, { name: "sandbox" });
}
