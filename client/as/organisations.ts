/**
 * `AsApi` methods for organisations and their users.
 *
 * @module
 */

import type { ApiRv } from "../api_rv.ts";
import type {
  EmptyResponse,
  IdResponse,
  OrganisationAllDetail,
  OrganisationGetDefaultResponse,
  OrganisationsGetResponse,
  PrivacyEnum,
  UsersGetResponse,
} from "../types.ts";
import {
  type CallOptions,
  callOpts,
  defined,
  path,
  requireOneOf,
  requireText,
  requireToken,
} from "./args.ts";
import { AsMetaApi } from "./meta.ts";

/** The four default-product-privacy values. */
export const PRIVACY_VALUES: readonly PrivacyEnum[] = [
  "ALWAYS_PUBLIC",
  "ALWAYS_PRIVATE",
  "DEFAULT_PUBLIC",
  "DEFAULT_PRIVATE",
];

/** Checks an optional privacy value; `undefined` stays `undefined`. */
export function checkPrivacy(value: unknown, method: string): PrivacyEnum | undefined {
  if (value === undefined) return undefined;
  return requireOneOf(value, { allowed: PRIVACY_VALUES, name: "defaultProductPrivacy", method });
}

/** Organisation methods. Use `AsApi`. */
export class AsOrganisationsApi extends AsMetaApi {
  /** Organisations you can see, or the one named `orgName` (`GET /organisation?name=`). */
  async getOrganisations(
    token: string,
    options: { orgName?: string } & CallOptions = {},
  ): Promise<ApiRv<OrganisationsGetResponse>> {
    return await this.call(requireToken(token, "getOrganisations"), {
      ...callOpts(options),
      method: "GET",
      path: "/organisation",
      query: { name: options.orgName || undefined },
      expect: [200],
      what: "Failed to get organisations",
    });
  }

  /** One organisation with its users (`GET /organisation/{orgId}`; members, owner, admins). */
  async getOrganisation(
    token: string,
    options: { orgId: string } & CallOptions,
  ): Promise<ApiRv<OrganisationAllDetail>> {
    const orgId = requireText(options?.orgId, { name: "orgId", method: "getOrganisation" });
    return await this.call(requireToken(token, "getOrganisation"), {
      ...callOpts(options),
      method: "GET",
      path: path`/organisation/${orgId}`,
      expect: [200],
      what: "Failed to get organisation",
    });
  }

  /** The Default organisation, home of personal units (`GET /default/organisation`). */
  async getDefaultOrganisation(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<OrganisationGetDefaultResponse>> {
    return await this.call(requireToken(token, "getDefaultOrganisation"), {
      ...callOpts(options),
      method: "GET",
      path: "/default/organisation",
      expect: [200],
      what: "Failed getting default organisation",
    });
  }

  /** Creates an organisation owned by `orgOwner` (`POST /organisation`, admin only). */
  async createOrganisation(
    token: string,
    options:
      & { orgName: string; orgOwner: string; defaultProductPrivacy?: PrivacyEnum }
      & CallOptions,
  ): Promise<ApiRv<IdResponse>> {
    const name = requireText(options?.orgName, { name: "orgName", method: "createOrganisation" });
    const owner = requireText(options?.orgOwner, {
      name: "orgOwner",
      method: "createOrganisation",
    });
    const privacy = checkPrivacy(options.defaultProductPrivacy, "createOrganisation");
    return await this.call(requireToken(token, "createOrganisation"), {
      ...callOpts(options),
      method: "POST",
      path: "/organisation",
      json: defined({ name, owner, default_product_privacy: privacy }),
      expect: [201],
      what: "Failed to create organisation",
    });
  }

  /** Renames an organisation or changes its default product privacy (`PATCH /organisation/{orgId}`). */
  async alterOrganisation(
    token: string,
    options: { orgId: string; name?: string; defaultProductPrivacy?: PrivacyEnum } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const orgId = requireText(options?.orgId, { name: "orgId", method: "alterOrganisation" });
    const privacy = checkPrivacy(options.defaultProductPrivacy, "alterOrganisation");
    return await this.call(requireToken(token, "alterOrganisation"), {
      ...callOpts(options),
      method: "PATCH",
      path: path`/organisation/${orgId}`,
      json: defined({ name: options.name, default_product_privacy: privacy }),
      expect: [200],
      empty: true,
      what: "Failed to alter organisation",
    });
  }

  /** Deletes an organisation without units (`DELETE /organisation/{orgId}`, admin only). */
  async deleteOrganisation(
    token: string,
    options: { orgId: string } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const orgId = requireText(options?.orgId, { name: "orgId", method: "deleteOrganisation" });
    return await this.call(requireToken(token, "deleteOrganisation"), {
      ...callOpts(options),
      method: "DELETE",
      path: path`/organisation/${orgId}`,
      expect: [204],
      empty: true,
      what: "Failed to delete organisation",
    });
  }

  /** Users of an organisation (`GET /organisation/{orgId}/user`). */
  async getOrganisationUsers(
    token: string,
    options: { orgId: string } & CallOptions,
  ): Promise<ApiRv<UsersGetResponse>> {
    const orgId = requireText(options?.orgId, { name: "orgId", method: "getOrganisationUsers" });
    return await this.call(requireToken(token, "getOrganisationUsers"), {
      ...callOpts(options),
      method: "GET",
      path: path`/organisation/${orgId}/user`,
      expect: [200],
      what: "Failed getting organisation users",
    });
  }

  /** Adds a user to an organisation (`PUT /organisation/{orgId}/user/{username}`; 200 or 201). */
  async addUserToOrganisation(
    token: string,
    options: { orgId: string; username: string } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const orgId = requireText(options?.orgId, { name: "orgId", method: "addUserToOrganisation" });
    const username = requireText(options?.username, {
      name: "username",
      method: "addUserToOrganisation",
    });
    return await this.call(requireToken(token, "addUserToOrganisation"), {
      ...callOpts(options),
      method: "PUT",
      path: path`/organisation/${orgId}/user/${username}`,
      expect: [200, 201],
      empty: true,
      what: "Failed to add user to organisation",
    });
  }

  /** Removes a user from an organisation (`DELETE /organisation/{orgId}/user/{username}`). */
  async removeUserFromOrganisation(
    token: string,
    options: { orgId: string; username: string } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const orgId = requireText(options?.orgId, {
      name: "orgId",
      method: "removeUserFromOrganisation",
    });
    const username = requireText(options?.username, {
      name: "username",
      method: "removeUserFromOrganisation",
    });
    return await this.call(requireToken(token, "removeUserFromOrganisation"), {
      ...callOpts(options),
      method: "DELETE",
      path: path`/organisation/${orgId}/user/${username}`,
      expect: [204],
      empty: true,
      what: "Failed to remove user from organisation",
    });
  }
}
