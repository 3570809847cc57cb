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
export type FaultKind =
  | "status"
  | "drop"
  | "truncate"
  | "slow-body"
  | "empty-body"
  | "wrong-type"
  | "html"
  | "trickle";

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
 * - `"empty-body"`: the real status and headers (`Content-Type` included) with an empty
 *   body and `Content-Length: 0`. Example: `{"kind": "empty-body", "path":
 *   "/charges/product/*"}` answers `200` with no body at all.
 * - `"wrong-type"`: the real status and JSON answer with the value at the dot path
 *   `field` replaced by `value`; without `value`, by a value of another JSON type: the
 *   number `42` for a string, object, array or null, the string `"42"` for a number or
 *   boolean. Array elements are addressed by index. Example: `{"kind": "wrong-type",
 *   "field": "storage_charges.items.3.coins", "value": "999.99"}`. Whether `field` exists
 *   can only be known per answer: an answer that is not JSON or lacks the path becomes a
 *   `500` with `{"error": "Sandbox fault: wrong-type field \"<field>\" ..."}` naming the
 *   request and the first missing segment, so a misspelt rule is loud, never a silent
 *   pass. Only the path's syntax is checked when the rule is configured.
 * - `"html"`: answers at once (the real handler does not run) `200` with
 *   `Content-Type: text/html; charset=utf-8` and an HTML error page, as a proxy or login
 *   page in front of the AS would. Example: `{"kind": "html", "times": 1}`.
 * - `"trickle"`: the real status and headers at once, `Content-Length` kept, then the
 *   real body in steady chunks spread evenly over `durationMs` (default 10000): one chunk
 *   about every 100 ms, the last at `durationMs` (a body with fewer bytes than that is
 *   sent one byte per chunk, at longer intervals; an empty body is sent as is). Every
 *   single read is quick, the whole transfer slow: for testing a per-read timeout
 *   against an overall one. Example: `{"kind": "trickle", "durationMs": 10000,
 *   "path": "/charges/organisation/*"}`.
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
  /**
   * Dot path of the value a `"wrong-type"` fault replaces (required for that kind, not
   * allowed for others), e.g. `"products.0.charges"`; numeric segments index arrays.
   */
  field?: string;
  /**
   * The JSON value a `"wrong-type"` fault puts at `field`. @default a value of another
   * JSON type (`42` for a string, object, array or null, `"42"` for a number or boolean)
   */
  value?: unknown;
  /** Time over which a `"trickle"` fault spreads the body, in milliseconds. @default 10000 */
  durationMs?: number;
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
const KINDS: readonly FaultKind[] = [
  "status",
  "drop",
  "truncate",
  "slow-body",
  "empty-body",
  "wrong-type",
  "html",
  "trickle",
];
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
  "field",
  "value",
  "durationMs",
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

/** A dot path: non-empty segments without spaces, e.g. `products.0.charges`. */
const DOT_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

/** Whether `value` is plain JSON (what a JSON body can carry). */
function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    return (proto === Object.prototype || proto === null) &&
      Object.values(value as Record<string, unknown>).every(isJsonValue);
  }
  return false;
}

/** Checks the fields that belong to one kind only: `field`/`value`, `durationMs`. */
function checkKindFields(rule: Record<string, unknown>, index: number) {
  const what = `rule #${index + 1}`;
  if (rule.kind === "wrong-type") {
    if (typeof rule.field !== "string" || !DOT_PATH.test(rule.field)) {
      throw bad(
        `${what} field`,
        rule.field ?? "(missing)",
        'a "wrong-type" rule needs a dot path such as "products.0.charges"',
      );
    }
    if (rule.value !== undefined && !isJsonValue(rule.value)) {
      throw bad(`${what} value`, String(rule.value), "use a JSON value (or leave it out)");
    }
  } else {
    for (const key of ["field", "value"]) {
      if (rule[key] !== undefined) {
        throw bad(`${what} ${key}`, rule[key], `only "wrong-type" rules take ${key}; remove it`);
      }
    }
  }
  if (rule.kind !== "trickle" && rule.durationMs !== undefined) {
    throw bad(
      `${what} durationMs`,
      rule.durationMs,
      'only "trickle" rules take durationMs (slow-body uses delayMs)',
    );
  }
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
  checkNumber(`rule #${index + 1} durationMs`, rule.durationMs, 0, 600_000, true);
  checkKindFields(rule, index);
  return {
    ...(rule as unknown as FaultRule),
    ...(rule.methods ? { methods: (rule.methods as string[]).map((m) => m.toUpperCase()) } : {}),
  };
}
