/**
 * The project's one error hierarchy. Every error thrown on purpose by the client, the
 * report writers, the scripts or the servers is a {@link BillingError}; scripts map
 * `exitCode` to the process exit status (2 for bad usage or bad input, 1 otherwise).
 *
 * Messages say what failed, with which input, and what to do. They never carry an access
 * token, password or API key: build them from values passed through {@link redact} when
 * they may contain one.
 *
 * @module
 */

/** Options common to every error of the hierarchy. */
export interface BillingErrorOptions {
  /** The underlying error, kept for `--debug` output. */
  cause?: unknown;
}

/** Base class of every error this project throws on purpose. */
export class BillingError extends Error {
  /** The error's name, `"BillingError"`. */
  override name = "BillingError";
  /** The process exit status a script should end with for this error. */
  readonly exitCode: number = 1;

  /** Creates an error with a message that names the input and the fix. */
  constructor(message: string, options: BillingErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Bad usage or bad input (flags, files, dates, names): exit code 2, nothing is written. */
export class UsageError extends BillingError {
  /** The error's name, `"UsageError"`. */
  override name = "UsageError";
  /** Bad usage or input ends a script with exit status 2. */
  override readonly exitCode: number = 2;
}

/** Missing or invalid configuration (environment variables, URLs): exit code 2. */
export class ConfigError extends UsageError {
  /** The error's name, `"ConfigError"`. */
  override name = "ConfigError";
}

/** Details of a failed HTTP exchange, with credentials already redacted. */
export interface ApiErrorDetails extends BillingErrorOptions {
  /** HTTP status code, or 0 when no response arrived. */
  status: number;
  /** HTTP method of the request. */
  method?: string;
  /** URL of the request, redacted. */
  url?: string;
  /** The server's own error text (e.g. the AS `{"error": "..."}`), if it sent one. */
  serverMessage?: string;
}

/** An API answered with a status the call did not expect (4xx, 5xx, ...). */
export class ApiError extends BillingError {
  /** The error's name, `"ApiError"`. */
  override name = "ApiError";
  /** HTTP status code, or 0 when no response arrived. */
  readonly status: number;
  /** HTTP method of the request. */
  readonly method?: string;
  /** URL of the request, redacted. */
  readonly url?: string;
  /** The server's own error text, if any. */
  readonly serverMessage?: string;

  /** Creates an API error from a message and the exchange's details. */
  constructor(message: string, details: ApiErrorDetails) {
    super(message, details);
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.serverMessage = details.serverMessage;
  }
}

/** The request never got a complete response: DNS, refused or dropped connection, bad body. */
export class NetworkError extends ApiError {
  /** The error's name, `"NetworkError"`. */
  override name = "NetworkError";
}

/** A request attempt, or the whole call's deadline, ran out of time. */
export class TimeoutError extends NetworkError {
  /** The error's name, `"TimeoutError"`. */
  override name = "TimeoutError";
}

/** Details of an answer whose body does not fit the schema of its endpoint. */
export interface ProtocolErrorDetails extends ApiErrorDetails {
  /** The schema's name, e.g. `"ProductChargesGetResponse"`. */
  schema: string;
  /** The first bad JSON path, e.g. `"storage_charges.items[3].coins"` (`""` for the root). */
  path: string;
  /** What was wrong at `path`, e.g. `"expected object, got number"`. */
  problem: string;
}

/**
 * A server answered with an expected status but a body that does not fit the documented
 * shape (an empty body, a missing required field, a wrong type, a coin value that is not a
 * decimal string, an HTML page). Never replaced by a default such as `{}` or `[]`: nothing
 * computed from such an answer can be trusted. Scripts exit 1; the report server answers 502.
 */
export class ProtocolError extends ApiError {
  /** The error's name, `"ProtocolError"`. */
  override name = "ProtocolError";
  /** The schema's name. */
  readonly schema: string;
  /** The first bad JSON path (`""` for the root). */
  readonly path: string;
  /** What was wrong at `path`. */
  readonly problem: string;

  /** Creates a protocol error; the message should name the method, endpoint and path. */
  constructor(message: string, details: ProtocolErrorDetails) {
    super(message, details);
    this.schema = details.schema;
    this.path = details.path;
    this.problem = details.problem;
  }
}

/** An access token could not be obtained (wrong credentials, unreachable Keycloak, ...). */
export class AuthError extends BillingError {
  /** The error's name, `"AuthError"`. */
  override name = "AuthError";
}

/** Totals computed from the items disagree with the totals the server reports. */
export class ReconciliationError extends BillingError {
  /** The error's name, `"ReconciliationError"`. */
  override name = "ReconciliationError";
}

/** The XQ subscription or validation service refused or failed a call. */
export class XqError extends ApiError {
  /** The error's name, `"XqError"`. */
  override name = "XqError";
}

/** A sealed file is malformed, tampered with, or cannot be opened by this reader. */
export class SealError extends BillingError {
  /** The error's name, `"SealError"`. */
  override name = "SealError";
}

/** A report store could not read, write or list a report. */
export class StoreError extends BillingError {
  /** The error's name, `"StoreError"`. */
  override name = "StoreError";
}

/** True when `value` is an error of this project's hierarchy (works across module copies). */
export function isBillingError(value: unknown): value is BillingError {
  return value instanceof BillingError ||
    (value instanceof Error && typeof (value as { exitCode?: unknown }).exitCode === "number");
}
