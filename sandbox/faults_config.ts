/**
 * The fault configuration of the sandbox: its types and their validation, shared by
 * `startSandbox({ faults })`, the CLI's `--faults` / `SANDBOX_FAULTS` and the admin route
 * `PUT /_sandbox/faults`.
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";

/** Which service a fault rule applies to. */
export type FaultTarget = "as" | "keycloak" | "xq" | "all";

/** What an injected fault does. */
export type FaultKind = "status" | "drop" | "truncate" | "slow-body";

/**
 * One fault rule. A request is matched by `target`, `methods` and `path`; a matching
 * request then fires the rule when it passes `rate` and `times`. The first rule that
 * fires, in list order, decides the request's fate.
 *
 * Kinds:
 * - `"status"`: answers `status` (400..599, default 500) at once with
 *   `{"error": "Sandbox fault: injected <status>"}`; a 429 (and any status given
 *   `retryAfterS`) carries `Retry-After: <retryAfterS>` (default 1 second).
 * - `"drop"`: the real response's status and headers are sent with its full
 *   `Content-Length`, then half of its body, then the connection is closed: the client
 *   sees a network error while reading the body.
 * - `"truncate"`: a 200 whose body is the first half of the real JSON text (with a
 *   matching `Content-Length`, so the transfer itself succeeds but `JSON.parse` fails).
 * - `"slow-body"`: the real status and headers at once, the body only after `delayMs`
 *   (default 5000), for testing a client's read timeout.
 */
export interface FaultRule {
  /**
   * Service the rule applies to: `"as"` (default), `"keycloak"`, `"xq"` or `"all"`.
   * Admin routes (`/_sandbox/...`) are never faulted.
   */
  target?: FaultTarget;
  /** HTTP methods the rule applies to, any case; all methods when absent. */
  methods?: string[];
  /**
   * Path glob, relative to the target's base (`/account-server-api`, `/auth`, `/xq`);
   * relative to the origin with target `"all"`. `*` matches within one segment, `**`
   * across segments, `?` one character; the query string is ignored. Every path when
   * absent. Example: `"/charges/product/*"`.
   */
  path?: string;
  /** The fault to inject. */
  kind: FaultKind;
  /** Status for `"status"` faults. @default 500 */
  status?: number;
  /** `Retry-After` seconds for `"status"` faults. @default 1 (for 429), none otherwise */
  retryAfterS?: number;
  /**
   * Probability (0..1) that a matching request fires the rule, drawn from the seeded PRNG
   * (deterministic for a given `seed` and request order). Always fires when absent.
   */
  rate?: number;
  /** The rule fires at most this many times (the first N matching requests, without `rate`). */
  times?: number;
  /** Body delay of `"slow-body"` faults, in milliseconds. @default 5000 */
  delayMs?: number;
}

/**
 * The sandbox's faults. `latencyMs` + a uniform random `0..jitterMs` are added before
 * every AS request (not Keycloak, XQ or admin requests). Nothing is injected unless
 * configured: the empty object means "no faults".
 */
export interface FaultsConfig {
  /** Seed of the PRNG behind `rate` and `jitterMs`. @default the sandbox seed */
  seed?: number;
  /** Fixed delay added to each AS request, in milliseconds. @default 0 */
  latencyMs?: number;
  /** Upper bound of a random extra delay added to each AS request. @default 0 */
  jitterMs?: number;
  /** Fault rules, first firing rule wins. @default [] */
  rules?: FaultRule[];
}

const TARGETS: readonly FaultTarget[] = ["as", "keycloak", "xq", "all"];
const KINDS: readonly FaultKind[] = ["status", "drop", "truncate", "slow-body"];
const RULE_KEYS = new Set([
  "target",
  "methods",
  "path",
  "kind",
  "status",
  "retryAfterS",
  "rate",
  "times",
  "delayMs",
]);
const CONFIG_KEYS = new Set(["seed", "latencyMs", "jitterMs", "rules"]);

function bad(what: string, value: unknown, fix: string): UsageError {
  const shown = typeof value === "string" ? value : JSON.stringify(value);
  return new UsageError(`Invalid fault ${what} "${shown}": ${fix}`);
}

function checkNumber(what: string, value: unknown, min: number, max: number, integer: boolean) {
  if (value === undefined) return;
  if (
    typeof value !== "number" || !Number.isFinite(value) || value < min || value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw bad(what, value, `use ${integer ? "a whole number" : "a number"} from ${min} to ${max}`);
  }
}

function checkUnknownKeys(what: string, value: Record<string, unknown>, known: Set<string>) {
  const unknown = Object.keys(value).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw bad(`${what} field`, unknown[0], `use only ${[...known].join(", ")}`);
  }
}

/**
 * Validates `value` (parsed JSON or an options object) as a {@link FaultsConfig} and
 * returns a normalised copy. Throws a `UsageError` naming the bad field and the fix.
 */
export function parseFaultsConfig(value: unknown): FaultsConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw bad("configuration", value, 'use an object such as {"rules": [{"kind": "drop"}]}');
  }
  const config = value as Record<string, unknown>;
  checkUnknownKeys("configuration", config, CONFIG_KEYS);
  checkNumber("seed", config.seed, 0, 2 ** 32 - 1, true);
  checkNumber("latencyMs", config.latencyMs, 0, 600_000, true);
  checkNumber("jitterMs", config.jitterMs, 0, 600_000, true);
  if (config.rules !== undefined && !Array.isArray(config.rules)) {
    throw bad("rules", config.rules, "use a list of rule objects");
  }
  const rules = ((config.rules ?? []) as unknown[]).map(parseRule);
  return {
    ...(config.seed === undefined ? {} : { seed: config.seed as number }),
    latencyMs: (config.latencyMs as number | undefined) ?? 0,
    jitterMs: (config.jitterMs as number | undefined) ?? 0,
    rules,
  };
}

function parseRule(value: unknown, index: number): FaultRule {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw bad(
      `rule #${index + 1}`,
      value,
      'use an object such as {"kind": "status", "status": 503}',
    );
  }
  const rule = value as Record<string, unknown>;
  checkUnknownKeys(`rule #${index + 1}`, rule, RULE_KEYS);
  if (!KINDS.includes(rule.kind as FaultKind)) {
    throw bad(`rule #${index + 1} kind`, rule.kind, `use one of ${KINDS.join(", ")}`);
  }
  if (rule.target !== undefined && !TARGETS.includes(rule.target as FaultTarget)) {
    throw bad(`rule #${index + 1} target`, rule.target, `use one of ${TARGETS.join(", ")}`);
  }
  if (
    rule.methods !== undefined &&
    (!Array.isArray(rule.methods) ||
      !rule.methods.every((m) => typeof m === "string" && /^[A-Za-z]+$/.test(m)))
  ) {
    throw bad(`rule #${index + 1} methods`, rule.methods, 'use a list such as ["GET", "POST"]');
  }
  if (rule.path !== undefined && (typeof rule.path !== "string" || !rule.path.startsWith("/"))) {
    throw bad(`rule #${index + 1} path`, rule.path, 'use a glob starting with "/"');
  }
  checkNumber(`rule #${index + 1} status`, rule.status, 400, 599, true);
  checkNumber(`rule #${index + 1} retryAfterS`, rule.retryAfterS, 0, 86_400, true);
  checkNumber(`rule #${index + 1} rate`, rule.rate, 0, 1, false);
  checkNumber(`rule #${index + 1} times`, rule.times, 0, Number.MAX_SAFE_INTEGER, true);
  checkNumber(`rule #${index + 1} delayMs`, rule.delayMs, 0, 600_000, true);
  return {
    ...(rule as unknown as FaultRule),
    ...(rule.methods ? { methods: (rule.methods as string[]).map((m) => m.toUpperCase()) } : {}),
  };
}
