/**
 * `AsApi` methods for units, personal units and unit users.
 *
 * @module
 */

import type { ApiRv } from "../api_rv.ts";
import type {
  EmptyResponse,
  IdResponse,
  OrganisationUnitsGetResponse,
  PersonalUnitPutResponse,
  PrivacyEnum,
  UnitAllDetail,
  UnitsGetResponse,
  UsersGetResponse,
} from "../types.ts";
import {
  type CallOptions,
  callOpts,
  defined,
  path,
  requireInt,
  requireText,
  requireToken,
} from "./args.ts";
import { AsOrganisationsApi, checkPrivacy } from "./organisations.ts";

/** Unit methods. Use `AsApi`. */
export class AsUnitsApi extends AsOrganisationsApi {
  /** Units (grouped by organisation) you have access to (`GET /unit`). */
  async getAvailableUnits(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<UnitsGetResponse>> {
    return await this.call(requireToken(token, "getAvailableUnits"), {
      ...callOpts(options),
      method: "GET",
      path: "/unit",
      expect: [200],
      what: "Failed getting units",
    });
  }

  /** Units you can see, or those named `unitName` (`GET /unit?name=`). */
  async getUnits(
    token: string,
    options: { unitName?: string } & CallOptions = {},
  ): Promise<ApiRv<UnitsGetResponse>> {
    return await this.call(requireToken(token, "getUnits"), {
      ...callOpts(options),
      method: "GET",
      path: "/unit",
      query: { name: options.unitName || undefined },
      expect: [200],
      what: "Failed to get units",
    });
  }

  /** One unit with its users (`GET /unit/{unitId}`). */
  async getUnit(
    token: string,
    options: { unitId: string } & CallOptions,
  ): Promise<ApiRv<UnitAllDetail>> {
    const unitId = requireText(options?.unitId, { name: "unitId", method: "getUnit" });
    return await this.call(requireToken(token, "getUnit"), {
      ...callOpts(options),
      method: "GET",
      path: path`/unit/${unitId}`,
      expect: [200],
      what: "Failed to get unit",
    });
  }

  /** The units of an organisation that you can see (`GET /organisation/{orgId}/unit`). */
  async getOrganisationUnits(
    token: string,
    options: { orgId: string } & CallOptions,
  ): Promise<ApiRv<OrganisationUnitsGetResponse>> {
    const orgId = requireText(options?.orgId, { name: "orgId", method: "getOrganisationUnits" });
    return await this.call(requireToken(token, "getOrganisationUnits"), {
      ...callOpts(options),
      method: "GET",
      path: path`/organisation/${orgId}/unit`,
      expect: [200],
      what: "Failed to get organisation units",
    });
  }

  /**
   * Creates a unit in an organisation (`POST /organisation/{orgId}/unit`). `billingDay` is
   * the day of the month (1–28) on which the unit's products are billed.
   */
  async createUnit(
    token: string,
    options:
      & { unitName: string; orgId: string; billingDay: number; defaultProductPrivacy?: PrivacyEnum }
      & CallOptions,
  ): Promise<ApiRv<IdResponse>> {
    const name = requireText(options?.unitName, { name: "unitName", method: "createUnit" });
    const orgId = requireText(options.orgId, { name: "orgId", method: "createUnit" });
    const billingDay = requireInt(options.billingDay, {
      name: "billingDay",
      method: "createUnit",
      min: 1,
      max: 28,
    });
    const privacy = checkPrivacy(options.defaultProductPrivacy, "createUnit");
    return await this.call(requireToken(token, "createUnit"), {
      ...callOpts(options),
      method: "POST",
      path: path`/organisation/${orgId}/unit`,
      json: defined({ name, billing_day: billingDay, default_product_privacy: privacy }),
      expect: [201],
      what: "Failed to create unit",
    });
  }

  /** Renames a unit or changes its default product privacy (`PATCH /unit/{unitId}`). */
  async alterUnit(
    token: string,
    options: { unitId: string; name?: string; defaultProductPrivacy?: PrivacyEnum } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const unitId = requireText(options?.unitId, { name: "unitId", method: "alterUnit" });
    const privacy = checkPrivacy(options.defaultProductPrivacy, "alterUnit");
    return await this.call(requireToken(token, "alterUnit"), {
      ...callOpts(options),
      method: "PATCH",
      path: path`/unit/${unitId}`,
      json: defined({ name: options.name, default_product_privacy: privacy }),
      expect: [200],
      empty: true,
      what: "Failed to alter unit",
    });
  }

  /** Deletes a unit without products (`DELETE /unit/{unitId}`; not for personal units). */
  async deleteUnit(
    token: string,
    options: { unitId: string } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const unitId = requireText(options?.unitId, { name: "unitId", method: "deleteUnit" });
    return await this.call(requireToken(token, "deleteUnit"), {
      ...callOpts(options),
      method: "DELETE",
      path: path`/unit/${unitId}`,
      expect: [204],
      empty: true,
      what: "Failed to delete unit",
    });
  }

  /** Your personal unit (`GET /personal-unit`). */
  async getPersonalUnit(token: string, options: CallOptions = {}): Promise<ApiRv<UnitAllDetail>> {
    return await this.call(requireToken(token, "getPersonalUnit"), {
      ...callOpts(options),
      method: "GET",
      path: "/personal-unit",
      expect: [200],
      what: "Failed to get personal unit",
    });
  }

  /** Creates your personal unit in the Default organisation (`PUT /personal-unit`). */
  async createPersonalUnit(
    token: string,
    options: { billingDay: number } & CallOptions,
  ): Promise<ApiRv<PersonalUnitPutResponse>> {
    const billingDay = requireInt(options?.billingDay, {
      name: "billingDay",
      method: "createPersonalUnit",
      min: 1,
      max: 28,
    });
    return await this.call(requireToken(token, "createPersonalUnit"), {
      ...callOpts(options),
      method: "PUT",
      path: "/personal-unit",
      json: { billing_day: billingDay },
      expect: [201],
      what: "Failed to create personal unit",
    });
  }

  /** Deletes your personal unit (`DELETE /personal-unit`). */
  async deletePersonalUnit(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<EmptyResponse>> {
    return await this.call(requireToken(token, "deletePersonalUnit"), {
      ...callOpts(options),
      method: "DELETE",
      path: "/personal-unit",
      expect: [204],
      empty: true,
      what: "Failed to delete personal unit",
    });
  }

  /** Users of a unit (`GET /unit/{unitId}/user`). */
  async getUnitUsers(
    token: string,
    options: { unitId: string } & CallOptions,
  ): Promise<ApiRv<UsersGetResponse>> {
    const unitId = requireText(options?.unitId, { name: "unitId", method: "getUnitUsers" });
    return await this.call(requireToken(token, "getUnitUsers"), {
      ...callOpts(options),
      method: "GET",
      path: path`/unit/${unitId}/user`,
      expect: [200],
      what: "Failed getting unit users",
    });
  }

  /** Adds a user to a unit (`PUT /unit/{unitId}/user/{username}`; 200 or 201). */
  async addUserToUnit(
    token: string,
    options: { unitId: string; username: string } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const unitId = requireText(options?.unitId, { name: "unitId", method: "addUserToUnit" });
    const username = requireText(options.username, { name: "username", method: "addUserToUnit" });
    return await this.call(requireToken(token, "addUserToUnit"), {
      ...callOpts(options),
      method: "PUT",
      path: path`/unit/${unitId}/user/${username}`,
      expect: [200, 201],
      empty: true,
      what: "Failed to add user to unit",
    });
  }

  /** Removes a user from a unit (`DELETE /unit/{unitId}/user/{username}`). */
  async removeUserFromUnit(
    token: string,
    options: { unitId: string; username: string } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const unitId = requireText(options?.unitId, { name: "unitId", method: "removeUserFromUnit" });
    const username = requireText(options.username, {
      name: "username",
      method: "removeUserFromUnit",
    });
    return await this.call(requireToken(token, "removeUserFromUnit"), {
      ...callOpts(options),
      method: "DELETE",
      path: path`/unit/${unitId}/user/${username}`,
      expect: [204],
      empty: true,
      what: "Failed to remove user from unit",
    });
  }
}
