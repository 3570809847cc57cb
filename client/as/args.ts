/**
 * Argument checks shared by the `AsApi` methods (path parameters are encoded by the caller
 * from the endpoint table's route). A bad argument is a {@link UsageError} thrown before
 * any request.
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/** Options every AS call accepts. */
export interface CallOptions {
  /** Per-attempt timeout in seconds (default the client's, 4). */
  timeoutS?: number;
  /** Aborts the call (never retried). */
  signal?: AbortSignal;
}

/** Where an argument belongs, for messages: its name and the `AsApi` method. */
export interface ArgWhere {
  /** The option's name, e.g. `"unitId"`. */
  name: string;
  /** The method's name, e.g. `"getUnit"`. */
  method: string;
}

/**
 * Checks that a required text argument is a non-empty string.
 *
 * @throws {UsageError} naming the method and the argument.
 */
export function requireText(value: unknown, where: ArgWhere): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(
      `${capital(where.method)} needs ${where.name}, got "${String(value ?? "")}": ` +
        `pass a non-empty string`,
    );
  }
  return value;
}

/**
 * Checks that the access token is present.
 *
 * @throws {UsageError} without ever showing the token.
 */
export function requireToken(token: unknown, method: string): string {
  if (typeof token !== "string" || token.trim() === "") {
    throw new UsageError(
      `${capital(method)} needs an access token: get one from a token source ` +
        `(tokenSourceFromEnv().getToken()) or set SQUONK2_ASAPI_TOKEN`,
    );
  }
  return token;
}

/**
 * Checks an integer argument within `[min, max]`.
 *
 * @throws {UsageError} quoting the bad value and the range.
 */
export function requireInt(
  value: unknown,
  where: ArgWhere & { min?: number; max?: number },
): number {
  const { min = -Infinity, max = Infinity } = where;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const span = max === Infinity
      ? `an integer of at least ${min}`
      : `an integer from ${min} to ${max}`;
    throw new UsageError(
      `${capital(where.method)} got ${where.name} "${String(value)}": use ${span}`,
    );
  }
  return value;
}

/**
 * Checks that `value` is one of `where.allowed`.
 *
 * @throws {UsageError} listing the allowed values.
 */
export function requireOneOf<T extends string>(
  value: unknown,
  where: ArgWhere & { allowed: readonly T[] },
): T {
  if (typeof value !== "string" || !where.allowed.includes(value as T)) {
    throw new UsageError(
      `${capital(where.method)} got ${where.name} "${String(value)}": ` +
        `use one of ${where.allowed.join(", ")}`,
    );
  }
  return value as T;
}

/** Keeps only the keys whose value is not `undefined`. */
export function defined<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Messages must start upper-case: name the method as `AsApi.getUnit`. */
function capital(method: string): string {
  return `AsApi.${method}`;
}

/** Only the per-call settings of an options object (`timeoutS`, `signal`). */
export function callOpts(options?: CallOptions): CallOptions {
  return { timeoutS: options?.timeoutS, signal: options?.signal };
}
