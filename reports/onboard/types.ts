/**
 * The types that planning, resolving and applying an onboarding file share: the narrow API
 * onboarding calls, the client (API plus token source), the action and a membership target.
 *
 * @module
 */

import type { ApiRv } from "../../client/as/api_rv.ts";
import type { AccessTokenSource } from "../../client/keycloak/token_source.ts";
import type {
  OrganisationAllDetail,
  OrganisationGetDefaultResponse,
  OrganisationsGetResponse,
  UnitAllDetail,
  UnitsGetResponse,
} from "../../client/types.ts";

/**
 * The `AsApi` methods onboarding uses (client/as/api.ts implements them), kept narrow so
 * tests can pass a fake. Each resolves to an `ApiRv` and never throws for HTTP failures.
 */
export interface OnboardApi {
  /** `GET /organisation`: the organisations, to resolve names. */
  getOrganisations(token: string): Promise<ApiRv<OrganisationsGetResponse>>;
  /** `GET /organisation/{id}`: an organisation with its `users`. */
  getOrganisation(token: string, o: { orgId: string }): Promise<ApiRv<OrganisationAllDetail>>;
  /** `GET /unit`: the units grouped by organisation, to resolve names. */
  getUnits(token: string): Promise<ApiRv<UnitsGetResponse>>;
  /** `GET /unit/{id}`: a unit with its `users`. */
  getUnit(token: string, o: { unitId: string }): Promise<ApiRv<UnitAllDetail>>;
  /** `GET /default/organisation`: the Default organisation, which holds personal units. */
  getDefaultOrganisation(token: string): Promise<ApiRv<OrganisationGetDefaultResponse>>;
  /** `PUT /organisation/{id}/user/{username}`. */
  addUserToOrganisation(token: string, o: MemberArgs & { orgId: string }): Promise<ApiRv<unknown>>;
  /** `PUT /unit/{id}/user/{username}`. */
  addUserToUnit(token: string, o: MemberArgs & { unitId: string }): Promise<ApiRv<unknown>>;
  /** `DELETE /organisation/{id}/user/{username}`. */
  removeUserFromOrganisation(
    token: string,
    o: MemberArgs & { orgId: string },
  ): Promise<ApiRv<unknown>>;
  /** `DELETE /unit/{id}/user/{username}`. */
  removeUserFromUnit(token: string, o: MemberArgs & { unitId: string }): Promise<ApiRv<unknown>>;
}

/** The username argument of the membership calls. */
export interface MemberArgs {
  /** The AS username. */
  username: string;
}

/** The API and a token source, e.g. what `connect()` of scripts/connect.ts returns. */
export interface OnboardClient {
  /** The AS client (`AsApi`, or anything with the same methods). */
  api: OnboardApi;
  /** Access tokens for the AS. */
  tokens: AccessTokenSource;
}

/** Whether a run adds the listed memberships (onboarding) or removes them (offboarding). */
export type OnboardAction = "add" | "remove";

/** An organisation or unit a user is added to or removed from. */
export interface MembershipTarget {
  /** Whether the target is an organisation or a unit. */
  kind: "organisation" | "unit";
  /** Its id (`org-<uuid>` or `unit-<uuid>`). */
  id: string;
  /** Its name. */
  name: string;
}
