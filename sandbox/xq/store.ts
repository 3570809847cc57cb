/**
 * The XQ simulator's state and rules, free of HTTP: access requests with PINs, sessions
 * (user and alias access tokens), key packets, stored keys with their locator tokens, and
 * the outbox of PIN messages "sent" to users.
 *
 * Every refusal is an {@link XqRefusal} carrying the HTTP status and the `{"status": ...}`
 * text the routes answer with. Where the reference is silent (lifetimes, attempt limits,
 * status codes other than 400/401), the choice is written down next to the constant.
 *
 * @module
 */

import { createSandboxRandom } from "./random.ts";

/** A refusal the routes turn into `{"status": message}` with this HTTP status. */
export class XqRefusal extends Error {
  /** Creates a refusal. */
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

// Lifetimes and limits. The reference gives none, so these follow what users of
// email-PIN services expect: a short-lived PIN, a few attempts, day-long sessions.
/** How long a PIN (and its pre-auth token) stays valid. */
export const PIN_LIFETIME_MS = 15 * 60_000;
/** Wrong PINs allowed before the access request is cancelled. */
export const PIN_MAX_ATTEMPTS = 3;
/** Lifetime of an access token (user or alias). */
export const ACCESS_LIFETIME_MS = 24 * 3_600_000;

/** A PIN message the sandbox "sent"; readable through the admin-guarded outbox route. */
export interface OutboxMessage {
  /** 1, 2, 3... in sending order. */
  id: number;
  /** The user the PIN was sent to (email lower-cased, or phone). */
  to: string;
  /** Mail subject. */
  subject: string;
  /** Mail body, PIN included. */
  text: string;
  /** The six-digit PIN. */
  pin: string;
  /** ISO time on the simulator clock. */
  sentAt: string;
}

/** What a caller asks to protect: the fields of `POST /packet` and `/packet/add`. */
export interface PacketRequest {
  /** Lower-cased emails, `<id>@alias.local`, `xq.public`. */
  recipients: string[];
  /** Lifetime in hours. */
  expiresHours: number;
  /** The secret, as sent. */
  key: string;
  /** Integer or string type, as sent. */
  type: string | number;
  /** Metadata, as sent. */
  meta: unknown;
  /** Delete on first read by a recipient. */
  dor: boolean;
}

/** A session: who holds an access token. */
export interface Session {
  /** Email (PIN users) or `<id>@alias.local` (aliases). */
  identity: string;
  /** How the token was obtained. */
  kind: "user" | "alias";
  /** The business id of `/exchange?b=`, if any. */
  business?: string;
  /** Expiry on the simulator clock, epoch ms. */
  expiresAt: number;
}

interface AccessRequest {
  user: string;
  pin: string;
  issuedAt: number;
  validated: boolean;
  attempts: number;
}

interface StoredKey extends PacketRequest {
  sender: string;
  expiresAt: number;
}

/** The simulator's state and operations. */
export interface XqStore {
  /** Starts a PIN access request for `user`; returns the pre-auth token. */
  authorize(user: string): string;
  /** Checks `pin` against the request behind `preAuth`. */
  validatePin(preAuth: string, pin: string): void;
  /** Trades a validated pre-auth token (single use) for an access token. */
  exchange(preAuth: string, business?: string): string;
  /** Issues an access token for an alias user, without PIN. */
  authorizeAlias(user: string): string;
  /** The session behind an access token, or a 401 refusal. */
  session(token: string | undefined): Session;
  /** Wraps a packet request into opaque packet text (not stored yet). */
  createPacket(session: Session, request: PacketRequest): string;
  /** Stores packet text made by {@link createPacket}; returns its locator token. */
  storePacket(session: Session, packet: string): string;
  /** Creates and stores in one step; returns the locator token. */
  addKey(session: Session, request: PacketRequest): string;
  /** The key behind `locator` if `session` may read it. */
  fetchKey(session: Session, locator: string): string;
  /** Revokes a key; only its sender may. */
  revokeKey(session: Session, locator: string): void;
  /** Messages sent so far, oldest first, optionally only those to `to`. */
  outbox(to?: string): OutboxMessage[];
}

/** Creates an empty store whose clock is `now` and whose randomness comes from `seed`. */
export function createXqStore(now: () => Date, seed: number): XqStore {
  const random = createSandboxRandom(seed);
  const requests = new Map<string, AccessRequest>();
  const sessions = new Map<string, Session>();
  const packets = new Map<string, StoredKey & { locator?: string }>();
  const keys = new Map<string, StoredKey>();
  const messages: OutboxMessage[] = [];
  const t = () => now().getTime();

  function liveRequest(preAuth: string): AccessRequest {
    const request = requests.get(preAuth);
    if (!request) throw new XqRefusal(401, "Invalid or expired authorization token");
    if (t() - request.issuedAt > PIN_LIFETIME_MS) {
      requests.delete(preAuth);
      throw new XqRefusal(401, "The access request has expired: request a new PIN");
    }
    return request;
  }

  function issueSession(identity: string, kind: Session["kind"], business?: string): string {
    const expiresAt = t() + ACCESS_LIFETIME_MS;
    const token = random.jwt({
      sub: identity,
      kind,
      b: business ?? null,
      exp: Math.floor(expiresAt / 1000),
    });
    sessions.set(token, { identity, kind, business, expiresAt });
    return token;
  }

  function toStored(session: Session, request: PacketRequest): StoredKey {
    return {
      ...request,
      sender: session.identity,
      expiresAt: t() + request.expiresHours * 3_600_000,
    };
  }

  function readable(session: Session, key: StoredKey): boolean {
    if (key.sender === session.identity) return true;
    return key.recipients.some((r) => r === "xq.public" || r === session.identity);
  }

  return {
    authorize(user) {
      const preAuth = random.jwt({ sub: user, kind: "preauth", n: random.pin() });
      const pin = random.pin();
      requests.set(preAuth, { user, pin, issuedAt: t(), validated: false, attempts: 0 });
      messages.push({
        id: messages.length + 1,
        to: user,
        subject: "Your XQ access code",
        text: `Your XQ access code is ${pin}. It expires in ${PIN_LIFETIME_MS / 60_000} minutes.`,
        pin,
        sentAt: now().toISOString(),
      });
      return preAuth;
    },
    validatePin(preAuth, pin) {
      const request = liveRequest(preAuth);
      if (pin.trim() === request.pin) {
        request.validated = true;
        return;
      }
      request.attempts += 1;
      if (request.attempts >= PIN_MAX_ATTEMPTS) {
        requests.delete(preAuth);
        throw new XqRefusal(
          401,
          "The provided pin is incorrect; too many attempts, request a new PIN",
        );
      }
      throw new XqRefusal(401, "The provided pin is incorrect");
    },
    exchange(preAuth, business) {
      const request = liveRequest(preAuth);
      if (!request.validated) {
        throw new XqRefusal(401, "The access request is not validated yet: submit the PIN first");
      }
      requests.delete(preAuth); // single use, like the real service
      return issueSession(request.user, "user", business);
    },
    authorizeAlias(user) {
      // Alias users read keys listed for `<id>@alias.local` (reference §3.3), never keys
      // listed for a plain email: an alias is not PIN-verified, so it must not pass for one.
      const identity = user.endsWith("@alias.local") ? user : `${user}@alias.local`;
      return issueSession(identity, "alias");
    },
    session(token) {
      const session = token ? sessions.get(token) : undefined;
      if (!session) throw new XqRefusal(401, "Invalid or missing access token");
      if (t() >= session.expiresAt) {
        sessions.delete(token!);
        throw new XqRefusal(401, "The access token has expired: authorize again");
      }
      return session;
    },
    createPacket(session, request) {
      const packet = `XQP1.${random.locator()}${random.locator()}`;
      packets.set(packet, toStored(session, request));
      return packet;
    },
    storePacket(_session, packet) {
      const pending = packets.get(packet.trim());
      if (!pending) throw new XqRefusal(400, "Invalid packet: it was not issued by this service");
      // Storing the same packet twice answers the same token (a retried upload is harmless).
      if (!pending.locator) {
        pending.locator = random.locator();
        keys.set(pending.locator, pending);
      }
      return pending.locator;
    },
    addKey(session, request) {
      const locator = random.locator();
      keys.set(locator, toStored(session, request));
      return locator;
    },
    fetchKey(session, locator) {
      const key = keys.get(locator);
      if (!key) throw new XqRefusal(404, "Key not found: the locator token is unknown or revoked");
      if (t() >= key.expiresAt) throw new XqRefusal(410, "Key has expired");
      if (!readable(session, key)) {
        throw new XqRefusal(403, "Not authorized to access this key");
      }
      if (key.dor && key.sender !== session.identity) keys.delete(locator);
      return key.key;
    },
    revokeKey(session, locator) {
      const key = keys.get(locator);
      if (!key) throw new XqRefusal(404, "Key not found: the locator token is unknown or revoked");
      if (key.sender !== session.identity) {
        throw new XqRefusal(403, "Only the sender can revoke this key");
      }
      keys.delete(locator);
    },
    outbox(to) {
      const wanted = to?.trim().toLowerCase();
      return messages.filter((m) => !wanted || m.to === wanted).map((m) => ({ ...m }));
    },
  };
}
