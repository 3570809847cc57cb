/**
 * Fault injection for the sandbox: latency on AS requests and rules that answer an error
 * status, drop the connection mid-body, truncate the JSON body, delay the body, answer an
 * empty body, a field of the wrong type or an HTML page, or trickle the body slowly. The
 * configuration is set at start and replaced at run time (`PUT /_sandbox/faults`).
 * Nothing is injected unless configured.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { createRandom, hashSeed } from "./data/prng.ts";
import {
  DEFAULT_SLOW_BODY_MS,
  dropFault,
  slowBodyFault,
  statusFault,
  truncateFault,
} from "./faults_apply.ts";
import { type FaultRule, type FaultsConfig, parseFaultsConfig } from "./faults_config.ts";
import { classifyPath, globToRegExp } from "./faults_match.ts";
import {
  DEFAULT_TRICKLE_MS,
  emptyBodyFault,
  htmlFault,
  trickleFault,
  wrongTypeFault,
} from "./faults_spoil.ts";

export type { FaultKind, FaultRule, FaultsConfig, FaultTarget } from "./faults_config.ts";
export { parseFaultsConfig } from "./faults_config.ts";

/** Options of {@link createFaultInjector}. */
export interface FaultInjectorOptions {
  /** Seed used when the configuration has none. @default 1 */
  defaultSeed?: number;
  /** Called for each injected fault (latency excluded), e.g. to count it in stats. */
  onInject?: (rule: FaultRule) => void;
}

/** Live fault injection: the current configuration and the middleware applying it. */
export interface FaultInjector {
  /** The current configuration, normalised (defaults filled in). */
  config(): FaultsConfig;
  /**
   * Validates and installs a new configuration; `times` counters and the PRNG restart
   * from the (new) seed. Throws a `UsageError` on an invalid configuration.
   */
  set(config: unknown): void;
  /** Faults injected since the current configuration was installed (latency excluded). */
  injected(): number;
  /** Hono middleware to install on the sandbox's top-level app, before all routes. */
  middleware: MiddlewareHandler;
}

interface Installed {
  config: FaultsConfig;
  rules: { rule: FaultRule; pattern: RegExp | null; fired: number }[];
  rate: () => number;
  jitter: () => number;
  injected: number;
}

function install(value: unknown, defaultSeed: number): Installed {
  const config = parseFaultsConfig(value);
  const seed = config.seed ?? defaultSeed;
  return {
    config,
    rules: (config.rules ?? []).map((rule) => ({
      rule,
      pattern: rule.path === undefined ? null : globToRegExp(rule.path),
      fired: 0,
    })),
    rate: createRandom(hashSeed(seed, ["faults", "rate"])).next,
    jitter: createRandom(hashSeed(seed, ["faults", "jitter"])).next,
    injected: 0,
  };
}

/**
 * The first rule of `state` that fires for this request, counting it; rules are tried in
 * order, and a rule with `rate` draws from the PRNG only when it otherwise matches.
 */
function firingRule(
  state: Installed,
  method: string,
  path: string,
): FaultRule | undefined {
  const { service, relative } = classifyPath(path);
  if (service === "admin") return undefined;
  for (const entry of state.rules) {
    const { rule } = entry;
    const target = rule.target ?? "as";
    if (target !== "all" && target !== service) continue;
    if (rule.methods && !rule.methods.includes(method.toUpperCase())) continue;
    if (entry.pattern && !entry.pattern.test(target === "all" ? path : relative)) continue;
    if (rule.times !== undefined && entry.fired >= rule.times) continue;
    if (rule.rate !== undefined && !(state.rate() < rule.rate)) continue;
    entry.fired++;
    return rule;
  }
  return undefined;
}

/**
 * Waits `ms`. Deliberately not cut short when the client goes away: listening to
 * `request.signal` makes Deno print a legacy-abort warning, so a pending latency simply
 * runs out (and `close()` waits for it).
 */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The response a fault rule that needs the real answer makes of it. */
function spoil(rule: FaultRule, real: Response, request: string): Promise<Response> | Response {
  switch (rule.kind) {
    case "drop":
      return dropFault(real);
    case "truncate":
      return truncateFault(real);
    case "empty-body":
      return emptyBodyFault(real);
    case "wrong-type":
      return wrongTypeFault(real, rule.field ?? "", rule.value, request);
    case "trickle":
      return trickleFault(real, rule.durationMs ?? DEFAULT_TRICKLE_MS);
    default:
      return slowBodyFault(real, rule.delayMs ?? DEFAULT_SLOW_BODY_MS);
  }
}

/** Creates a fault injector with `config` installed (default: no faults). */
export function createFaultInjector(
  config: FaultsConfig = {},
  options: FaultInjectorOptions = {},
): FaultInjector {
  const defaultSeed = options.defaultSeed ?? 1;
  let state = install(config, defaultSeed);

  const middleware: MiddlewareHandler = async (c, next) => {
    const current = state;
    const path = c.req.path;
    if (classifyPath(path).service === "as") {
      const { latencyMs = 0, jitterMs = 0 } = current.config;
      const delay = latencyMs + (jitterMs > 0 ? Math.floor(current.jitter() * (jitterMs + 1)) : 0);
      if (delay > 0) await sleep(delay);
    }
    const rule = firingRule(current, c.req.method, path);
    if (!rule) return await next();
    current.injected++;
    options.onInject?.(rule);
    if (rule.kind === "status") return statusFault(rule);
    if (rule.kind === "html") return htmlFault();
    await next();
    const real = c.res;
    // Hono's `c.res` setter merges the previous response's headers (Content-Length
    // included) into the new one; clearing it first keeps the fault's own headers.
    c.res = undefined as unknown as Response;
    c.res = await spoil(rule, real, `${c.req.method} ${classifyPath(path).relative}`);
  };

  return {
    config: () => structuredClone(state.config),
    set(value) {
      state = install(value, defaultSeed);
    },
    injected: () => state.injected,
    middleware,
  };
}
