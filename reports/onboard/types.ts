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
  getOrganisations(token: string): Promise<ApiRv<OrganisationsGetResponse>>;
  getOrganisation(token: string, o: { orgId: string }): Promise<ApiRv<OrganisationAllDetail>>;
  getUnits(token: string): Promise<ApiRv<UnitsGetResponse>>;
  getUnit(token: string, o: { unitId: string }): Promise<ApiRv<UnitAllDetail>>;
  getDefaultOrganisation(token: string): Promise<ApiRv<OrganisationGetDefaultResponse>>;
  addUserToOrganisation(token: string, o: MemberArgs & { orgId: string }): Promise<ApiRv<unknown>>;
  addUserToUnit(token: string, o: MemberArgs & { unitId: string }): Promise<ApiRv<unknown>>;
  removeUserFromOrganisation(
    token: string,
    o: MemberArgs & { orgId: string },
  ): Promise<ApiRv<unknown>>;
  removeUserFromUnit(token: string, o: MemberArgs & { unitId: string }): Promise<ApiRv<unknown>>;
}

/** The username argument of the membership calls. */
export interface MemberArgs {
  username: string;
}

/** The API and a token source, e.g. what `connect()` of scripts/connect.ts returns. */
export interface OnboardClient {
  api: OnboardApi;
  tokens: AccessTokenSource;
}

/** Whether a run adds the listed memberships (onboarding) or removes them (offboarding). */
export type OnboardAction = "add" | "remove";

/** An organisation or unit a user is added to or removed from. */
export interface MembershipTarget {
  kind: "organisation" | "unit";
  id: string;
  name: string;
}
