/**
 * The XQ subscription and validation simulator. Mounted by `sandbox/mod.ts` under `/xq`, it
 * serves `/xq/subscription/v2/...`, `/xq/validation/v2/...` and `/xq/_outbox`.
 *
 * - Subscription: `GET /apikey`, `POST /authorize` (emails a PIN to the outbox),
 *   `GET /codevalidation?pin=`, `GET /exchange`, `POST /authorizealias`, `POST /packet`,
 *   `POST /packet/add` (one `key` -> token text, or `keys` -> `{"tokens": [{key: token}]}`).
 * - Validation: `POST /packet` (raw packet body -> token), `GET /key/<token>`,
 *   `DELETE /key/<token>`, `POST /keys` (`[tokens]` -> `{"exported": [{token: key}]}`).
 * - `GET /_outbox[?to=email]`: the PIN messages "sent" so far, `{"messages": [...]}`; it
 *   needs the sandbox admin key as `X-Sandbox-Admin-Key` (or `x-admin-key`, or
 *   `Authorization: Bearer`).
 *
 * @module
 */

import { Hono } from "hono";
import { timingSafeEqual } from "../../client/secrets.ts";
import { requireApiKey } from "./guard.ts";
import { bearer } from "./parse.ts";
import { createXqStore, type XqStore } from "./store.ts";

export type { OutboxMessage, PacketRequest, Session, XqStore } from "./store.ts";
import { createSubscriptionRoutes } from "./subscription.ts";
import { createValidationRoutes } from "./validation.ts";
import { type TokenReplyForm, tokenReplyForm } from "./token_reply.ts";

export type { TokenReplyForm } from "./token_reply.ts";

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
  /** Receives the store, for tests and `sandbox/mod.ts` state views (optional). */
  onStore?: (store: XqStore) => void;
  /** The form of token replies, read at each reply. @default () => "text" */
  tokenReplies?: () => TokenReplyForm;
}

/**
 * Builds the XQ simulator. Mounted by `sandbox/mod.ts` under `/xq`, it serves
 * `/xq/subscription/v2/...`, `/xq/validation/v2/...` and `/xq/_outbox`.
 */
export function createXqApp(options: XqSandboxOptions): Hono {
  const store = createXqStore(options.now, options.seed);
  options.onStore?.(store);
  const app = new Hono();
  const apiKey = requireApiKey(options.apiKey, options.dashboardApiKey);

  const replies = tokenReplyForm(options.tokenReplies ?? (() => "text"));
  app.use("/subscription/v2/*", replies, apiKey);
  app.use("/validation/v2/*", replies, apiKey);
  app.route("/subscription/v2", createSubscriptionRoutes(store));
  app.route("/validation/v2", createValidationRoutes(store));

  app.get("/_outbox", (c) => {
    const given = c.req.header("x-sandbox-admin-key") ?? c.req.header("x-admin-key") ?? bearer(c);
    if (!given || !timingSafeEqual(given, options.adminKey)) {
      return c.json({
        status: "The outbox needs the sandbox admin key: send it as X-Sandbox-Admin-Key",
      }, 401);
    }
    return c.json({ messages: store.outbox(c.req.query("to")) });
  });

  return app;
}
