/**
 * Endpoint table, part 1: the service itself, the caller's account, merchants, event
 * streams and actions (reference §2.1, §2.2, §2.4, §2.9).
 *
 * @module
 */

import type { Endpoint } from "./endpoint_types.ts";

/** Service, account, merchant, event-stream and action endpoints. */
export const META_ENDPOINTS = {
  ping: {
    route: "GET /version",
    expect: [200],
    request: "none",
    response: "StateGetVersionResponse",
    what: "Failed getting version",
    token: false,
  },
  getVersion: {
    route: "GET /version",
    expect: [200],
    request: "none",
    response: "StateGetVersionResponse",
    what: "Failed getting version",
    token: false,
  },
  getEventStreamVersion: {
    route: "GET /event-stream/version",
    expect: [200],
    request: "none",
    response: "EventStreamVersionGetResponse",
    what: "Failed getting event stream version",
    token: false,
  },
  getAccount: {
    route: "GET /user/account",
    expect: [200],
    request: "none",
    response: "UserAccountDetail",
    what: "Failed getting account",
  },
  getMerchants: {
    route: "GET /merchant",
    expect: [200],
    request: "none",
    response: "MerchantsGetResponse",
    what: "Failed getting merchants",
  },
  getMerchant: {
    route: "GET /merchant/{merchantId}",
    expect: [200],
    request: "none",
    response: "MerchantDetail",
    what: "Failed getting merchant",
  },
  getEventStream: {
    route: "GET /event-stream",
    expect: [200],
    request: "none",
    response: "EventStreamGetPostResponse",
    what: "Failed getting event stream",
  },
  createEventStream: {
    route: "POST /event-stream",
    expect: [201],
    request: "json",
    response: "EventStreamGetPostResponse",
    what: "Failed to create event stream",
  },
  deleteEventStream: {
    route: "DELETE /event-stream/{eventStreamId}",
    expect: [204],
    request: "none",
    response: "no body",
    what: "Failed to delete event stream",
  },
  getActions: {
    route: "GET /action",
    expect: [200],
    request: "query",
    response: "ActionGetResponse",
    what: "Failed getting actions",
  },
} as const satisfies Record<string, Endpoint>;
