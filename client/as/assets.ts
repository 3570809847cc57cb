/**
 * `AsApi` methods for assets: secrets and content handed to merchants. Creating and
 * altering send `multipart/form-data` built with `FormData` (fetch sets the boundary).
 *
 * @module
 */

import type { ApiRv } from "../api_rv.ts";
import { UsageError } from "../errors.ts";
import type {
  AssetDetail,
  AssetGetResponse,
  EmptyResponse,
  IdResponse,
  ScopeEnum,
} from "../types.ts";
import {
  type CallOptions,
  callOpts,
  path,
  requireInt,
  requireOneOf,
  requireText,
  requireToken,
} from "./args.ts";
import { AsChargesApi } from "./charges.ts";
import { type AssetContent, assetForm, scopeQuery } from "./asset_form.ts";

export type { AssetContent } from "./asset_form.ts";

const SCOPES: readonly ScopeEnum[] = ["USER", "PRODUCT", "UNIT", "ORGANISATION", "GLOBAL"];

/** Asset methods. Use `AsApi`. */
export class AsAssetsApi extends AsChargesApi {
  /**
   * Assets you can see (`GET /asset`). `scopeId` narrows them like the Python client: an
   * id `product-…`, `unit-…` or `org-…` selects that scope, anything else is a username.
   * Accepts 200 or 201 (the spec says 201, the Python client expects 200).
   */
  async getAvailableAssets(
    token: string,
    options: { scopeId?: string } & CallOptions = {},
  ): Promise<ApiRv<AssetGetResponse>> {
    const query = scopeQuery(options.scopeId);
    return await this.call(requireToken(token, "getAvailableAssets"), {
      ...callOpts(options),
      method: "GET",
      path: "/asset",
      query,
      expect: [200, 201],
      what: "Failed getting assets",
    });
  }

  /** One asset (`GET /asset/{assetId}`; 200 or 201). Secret content is not revealed. */
  async getAsset(
    token: string,
    options: { assetId: string } & CallOptions,
  ): Promise<ApiRv<AssetDetail>> {
    const assetId = requireText(options?.assetId, { name: "assetId", method: "getAsset" });
    return await this.call(requireToken(token, "getAsset"), {
      ...callOpts(options),
      method: "GET",
      path: path`/asset/${assetId}`,
      expect: [200, 201],
      what: "Failed getting asset",
    });
  }

  /**
   * Creates an asset from `contentString` or `contentFile` (exactly one) in a scope
   * (`POST /asset`, multipart). `scopeId` is needed except for `GLOBAL` and `USER` (where the
   * server uses your username). `contentFile` is a path, a `Blob` or bytes.
   */
  async createAsset(
    token: string,
    options:
      & {
        name: string;
        scope: ScopeEnum;
        description?: string;
        scopeId?: string;
        isSecret?: boolean;
      }
      & AssetContent
      & CallOptions,
  ): Promise<ApiRv<IdResponse>> {
    const name = requireText(options?.name, { name: "name", method: "createAsset" });
    const scope = requireOneOf(options.scope, {
      allowed: SCOPES,
      name: "scope",
      method: "createAsset",
    });
    if (!options.scopeId && scope !== "GLOBAL" && scope !== "USER") {
      throw new UsageError(
        `AsApi.createAsset got scope "${scope}" without scopeId: pass the ${scope.toLowerCase()} id`,
      );
    }
    if ((options.contentString === undefined) === (options.contentFile === undefined)) {
      throw new UsageError(
        `AsApi.createAsset needs exactly one of contentString and contentFile for asset "${name}"`,
      );
    }
    const form = await assetForm(options, "createAsset");
    form.set("name", name);
    form.set("scope", scope);
    // The spec's boolean; the TS client sends lower case, which the server accepts.
    form.set("secret", options.isSecret ? "true" : "false");
    if (options.scopeId) form.set("scope_id", options.scopeId);
    return await this.call(requireToken(token, "createAsset"), {
      ...callOpts(options),
      method: "POST",
      path: "/asset",
      form,
      expect: [201],
      what: "Failed creating asset",
    });
  }

  /** Changes an asset's content and/or description (`PATCH /asset/{assetId}`, multipart). */
  async alterAsset(
    token: string,
    options: { assetId: string; description?: string } & AssetContent & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const assetId = requireText(options?.assetId, { name: "assetId", method: "alterAsset" });
    if (options.contentString !== undefined && options.contentFile !== undefined) {
      throw new UsageError(
        `AsApi.alterAsset got both contentString and contentFile for asset "${assetId}": pass one`,
      );
    }
    const form = await assetForm(options, "alterAsset");
    return await this.call(requireToken(token, "alterAsset"), {
      ...callOpts(options),
      method: "PATCH",
      path: path`/asset/${assetId}`,
      form,
      expect: [200],
      empty: true,
      what: "Failed altering asset",
    });
  }

  /** Deletes an asset; attached assets must be detached first (`DELETE /asset/{assetId}`). */
  async deleteAsset(
    token: string,
    options: { assetId: string } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    return await this.#state(token, options, "DELETE", "", "deleteAsset", "Failed deleting asset");
  }

  /** Lets merchants use an asset (`PATCH /asset/{assetId}/enable`). */
  async enableAsset(
    token: string,
    options: { assetId: string } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    return await this.#state(
      token,
      options,
      "PATCH",
      "/enable",
      "enableAsset",
      "Failed enabling asset",
    );
  }

  /** Stops merchants using an asset (`PATCH /asset/{assetId}/disable`). */
  async disableAsset(
    token: string,
    options: { assetId: string } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    return await this.#state(
      token,
      options,
      "PATCH",
      "/disable",
      "disableAsset",
      "Failed disabling asset",
    );
  }

  /** Attaches an asset to merchant `mId` (`PATCH /asset/{assetId}/attach?m_id=`). */
  async attachAsset(
    token: string,
    options: { assetId: string; mId: number } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const mId = requireInt(options?.mId, { name: "mId", method: "attachAsset", min: 1 });
    return await this.#state(
      token,
      options,
      "PATCH",
      "/attach",
      "attachAsset",
      "Failed attaching asset",
      mId,
    );
  }

  /** Detaches an asset from merchant `mId` (`PATCH /asset/{assetId}/detach?m_id=`). */
  async detachAsset(
    token: string,
    options: { assetId: string; mId: number } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const mId = requireInt(options?.mId, { name: "mId", method: "detachAsset", min: 1 });
    return await this.#state(
      token,
      options,
      "PATCH",
      "/detach",
      "detachAsset",
      "Failed detaching asset",
      mId,
    );
  }

  async #state(
    token: string,
    options: { assetId: string } & CallOptions,
    method: "PATCH" | "DELETE",
    suffix: string,
    name: string,
    what: string,
    mId?: number,
  ): Promise<ApiRv<EmptyResponse>> {
    const assetId = requireText(options?.assetId, { name: "assetId", method: name });
    return await this.call(requireToken(token, name), {
      ...callOpts(options),
      method,
      path: path`/asset/${assetId}` + suffix,
      query: { m_id: mId },
      expect: [204],
      empty: true,
      what,
    });
  }
}
