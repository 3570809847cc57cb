/**
 * `AsApi` methods about the service itself and the caller: version, ping, account,
 * merchants, event streams and actions.
 *
 * @module
 */

import type { ApiRv } from "../api_rv.ts";
import { periodQuery } from "../periods.ts";
import type {
  ActionGetResponse,
  EmptyResponse,
  EventStreamFormat,
  EventStreamGetPostResponse,
  EventStreamVersionGetResponse,
  MerchantDetail,
  MerchantsGetResponse,
  StateGetVersionResponse,
  UserAccountDetail,
} from "../types.ts";
import { UsageError } from "../errors.ts";
import {
  type CallOptions,
  callOpts,
  path,
  requireInt,
  requireOneOf,
  requireToken,
} from "./args.ts";
import { AsCore } from "./core.ts";

const FORMATS: readonly EventStreamFormat[] = ["PROTOCOL_STRING", "JSON_STRING"];

/** Service, account, merchant, event-stream and action methods. Use `AsApi`. */
export class AsMetaApi extends AsCore {
  /** Checks that the AS answers: `GET /version` without a token. */
  async ping(options: CallOptions = {}): Promise<ApiRv<StateGetVersionResponse>> {
    return await this.getVersion(options);
  }

  /** The AS version (`GET /version`, no token needed). */
  async getVersion(options: CallOptions = {}): Promise<ApiRv<StateGetVersionResponse>> {
    return await this.call(undefined, {
      ...callOpts(options),
      method: "GET",
      path: "/version",
      expect: [200],
      what: "Failed getting version",
    });
  }

  /** The event-stream service version (`GET /event-stream/version`, no token; 404 when absent). */
  async getEventStreamVersion(
    options: CallOptions = {},
  ): Promise<ApiRv<EventStreamVersionGetResponse>> {
    return await this.call(undefined, {
      ...callOpts(options),
      method: "GET",
      path: "/event-stream/version",
      expect: [200],
      what: "Failed getting event stream version",
    });
  }

  /** The caller's user account: username, admin privilege and AS roles (`GET /user/account`). */
  async getAccount(token: string, options: CallOptions = {}): Promise<ApiRv<UserAccountDetail>> {
    return await this.call(requireToken(token, "getAccount"), {
      ...callOpts(options),
      method: "GET",
      path: "/user/account",
      expect: [200],
      what: "Failed getting account",
    });
  }

  /** Merchants registered with the AS (`GET /merchant`). */
  async getMerchants(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<MerchantsGetResponse>> {
    return await this.call(requireToken(token, "getMerchants"), {
      ...callOpts(options),
      method: "GET",
      path: "/merchant",
      expect: [200],
      what: "Failed getting merchants",
    });
  }

  /** One merchant by its integer id (`GET /merchant/{id}`). */
  async getMerchant(
    token: string,
    options: { merchantId: number } & CallOptions,
  ): Promise<ApiRv<MerchantDetail>> {
    const id = requireInt(options?.merchantId, {
      name: "merchantId",
      method: "getMerchant",
      min: 1,
    });
    return await this.call(requireToken(token, "getMerchant"), {
      ...callOpts(options),
      method: "GET",
      path: path`/merchant/${id}`,
      expect: [200],
      what: "Failed getting merchant",
    });
  }

  /** The caller's event stream, if any (`GET /event-stream`; 404 when there is none). */
  async getEventStream(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<EventStreamGetPostResponse>> {
    return await this.call(requireToken(token, "getEventStream"), {
      ...callOpts(options),
      method: "GET",
      path: "/event-stream",
      expect: [200],
      what: "Failed getting event stream",
    });
  }

  /**
   * Creates the caller's event stream (`POST /event-stream`, one per user). `eventFormat`
   * defaults to the server's `PROTOCOL_STRING` when omitted.
   */
  async createEventStream(
    token: string,
    options: { eventFormat?: EventStreamFormat } & CallOptions = {},
  ): Promise<ApiRv<EventStreamGetPostResponse>> {
    const format = options.eventFormat === undefined
      ? undefined
      : requireOneOf(options.eventFormat, {
        allowed: FORMATS,
        name: "eventFormat",
        method: "createEventStream",
      });
    return await this.call(requireToken(token, "createEventStream"), {
      ...callOpts(options),
      method: "POST",
      path: "/event-stream",
      json: format === undefined ? {} : { format },
      expect: [201],
      what: "Failed to create event stream",
    });
  }

  /** Deletes an event stream by its integer id (`DELETE /event-stream/{id}`; creator only). */
  async deleteEventStream(
    token: string,
    options: { eventStreamId: number } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const id = requireInt(options?.eventStreamId, {
      name: "eventStreamId",
      method: "deleteEventStream",
      min: 0,
    });
    return await this.call(requireToken(token, "deleteEventStream"), {
      ...callOpts(options),
      method: "DELETE",
      path: path`/event-stream/${id}`,
      expect: [204],
      empty: true,
      what: "Failed to delete event stream",
    });
  }

  /**
   * Merchant actions (`GET /action`, admin only). Give at most one of `merchantId`,
   * `productId`, `unitId`, `orgId`; without dates the server returns today's actions.
   *
   * @throws {UsageError} for bad dates or more than one filter.
   */
  async getActions(
    token: string,
    options: {
      from?: Date | string;
      until?: Date | string;
      merchantId?: number;
      productId?: string;
      unitId?: string;
      orgId?: string;
      actionFormat?: EventStreamFormat;
    } & CallOptions = {},
  ): Promise<ApiRv<ActionGetResponse>> {
    const period = periodQuery({ from: options.from, until: options.until });
    const filters = [options.merchantId, options.productId, options.unitId, options.orgId]
      .filter((v) => v !== undefined && v !== "");
    if (filters.length > 1) {
      throw new UsageError(
        `AsApi.getActions got ${filters.length} filters: give at most one of merchantId, ` +
          `productId, unitId, orgId`,
      );
    }
    const mId = options.merchantId === undefined
      ? undefined
      : requireInt(options.merchantId, { name: "merchantId", method: "getActions", min: 1 });
    const format = requireOneOf(options.actionFormat ?? "PROTOCOL_STRING", {
      allowed: FORMATS,
      name: "actionFormat",
      method: "getActions",
    });
    return await this.call(requireToken(token, "getActions"), {
      ...callOpts(options),
      method: "GET",
      path: "/action",
      query: {
        ...period,
        format,
        m_id: mId,
        product_id: options.productId || undefined,
        unit_id: options.unitId || undefined,
        org_id: options.orgId || undefined,
      },
      expect: [200],
      what: "Failed getting actions",
    });
  }
}
