/**
 * The XQ subscription and validation simulator. Placeholder until the XQ work lands: it
 * mounts nothing yet, so the sandbox composes with or without it.
 *
 * @module
 */

import { Hono } from "hono";

/** Options of the XQ simulator. */
export interface XqSandboxOptions {
  /** The sandbox clock. */
  now: () => Date;
  /** The accepted `api-key` for the subscription service. */
  apiKey: string;
  /** The accepted dashboard API key. */
  dashboardApiKey: string;
  /** The sandbox admin key guarding the PIN outbox. */
  adminKey: string;
  /** Seed for deterministic ids and PINs. */
  seed: number;
}

/**
 * Builds the XQ simulator. Mounted by `sandbox/mod.ts` under `/xq`, it serves
 * `/xq/subscription/v2/...`, `/xq/validation/v2/...` and `/xq/_outbox`.
 */
export function createXqApp(_options: XqSandboxOptions): Hono {
  return new Hono();
}
