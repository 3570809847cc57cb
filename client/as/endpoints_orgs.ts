/**
 * Endpoint table, part 2: organisations, units, personal units and their users
 * (reference §2.7, §2.8). Adding a user answers 200 or 201 without a body; PATCH answers
 * 200 without a body; DELETE answers 204.
 *
 * `alterOrganisation` and `alterUnit` say "Failed to alter organisation" / "unit" where the
 * Python client says "Failed to alter product" (a copy-and-paste slip, reference §1.6).
 *
 * @module
 */

import type { Endpoint } from "./endpoint_types.ts";

/** Organisation, unit and membership endpoints. */
export const ORG_ENDPOINTS = {
  getOrganisations: {
    route: "GET /organisation",
    expect: [200],
    request: "query",
    response: "OrganisationsGetResponse",
    what: "Failed to get organisations",
  },
  getOrganisation: {
    route: "GET /organisation/{orgId}",
    expect: [200],
    request: "none",
    response: "OrganisationAllDetail",
    what: "Failed to get organisation",
  },
  getDefaultOrganisation: {
    route: "GET /default/organisation",
    expect: [200],
    request: "none",
    response: "OrganisationGetDefaultResponse",
    what: "Failed getting default organisation",
  },
  createOrganisation: {
    route: "POST /organisation",
    expect: [201],
    request: "json",
    response: "IdResponse",
    what: "Failed to create organisation",
  },
  alterOrganisation: {
    route: "PATCH /organisation/{orgId}",
    expect: [200],
    request: "json",
    response: "no body",
    what: "Failed to alter organisation",
  },
  deleteOrganisation: {
    route: "DELETE /organisation/{orgId}",
    expect: [204],
    request: "none",
    response: "no body",
    what: "Failed to delete organisation",
  },
  getOrganisationUsers: {
    route: "GET /organisation/{orgId}/user",
    expect: [200],
    request: "none",
    response: "UsersGetResponse",
    what: "Failed getting organisation users",
  },
  addUserToOrganisation: {
    route: "PUT /organisation/{orgId}/user/{username}",
    expect: [200, 201],
    request: "none",
    response: "no body",
    what: "Failed to add user to organisation",
  },
  removeUserFromOrganisation: {
    route: "DELETE /organisation/{orgId}/user/{username}",
    expect: [204],
    request: "none",
    response: "no body",
    what: "Failed to remove user from organisation",
  },
  getAvailableUnits: {
    route: "GET /unit",
    expect: [200],
    request: "none",
    response: "UnitsGetResponse",
    what: "Failed getting units",
  },
  getUnits: {
    route: "GET /unit",
    expect: [200],
    request: "query",
    response: "UnitsGetResponse",
    what: "Failed to get units",
  },
  getUnit: {
    route: "GET /unit/{unitId}",
    expect: [200],
    request: "none",
    response: "UnitAllDetail",
    what: "Failed to get unit",
  },
  getOrganisationUnits: {
    route: "GET /organisation/{orgId}/unit",
    expect: [200],
    request: "none",
    response: "OrganisationUnitsGetResponse",
    what: "Failed to get organisation units",
  },
  createUnit: {
    route: "POST /organisation/{orgId}/unit",
    expect: [201],
    request: "json",
    response: "IdResponse",
    what: "Failed to create unit",
  },
  alterUnit: {
    route: "PATCH /unit/{unitId}",
    expect: [200],
    request: "json",
    response: "no body",
    what: "Failed to alter unit",
  },
  deleteUnit: {
    route: "DELETE /unit/{unitId}",
    expect: [204],
    request: "none",
    response: "no body",
    what: "Failed to delete unit",
  },
  getPersonalUnit: {
    route: "GET /personal-unit",
    expect: [200],
    request: "none",
    response: "UnitAllDetail",
    what: "Failed to get personal unit",
  },
  createPersonalUnit: {
    route: "PUT /personal-unit",
    expect: [201],
    request: "json",
    response: "PersonalUnitPutResponse",
    what: "Failed to create personal unit",
  },
  deletePersonalUnit: {
    route: "DELETE /personal-unit",
    expect: [204],
    request: "none",
    response: "no body",
    what: "Failed to delete personal unit",
  },
  getUnitUsers: {
    route: "GET /unit/{unitId}/user",
    expect: [200],
    request: "none",
    response: "UsersGetResponse",
    what: "Failed getting unit users",
  },
  addUserToUnit: {
    route: "PUT /unit/{unitId}/user/{username}",
    expect: [200, 201],
    request: "none",
    response: "no body",
    what: "Failed to add user to unit",
  },
  removeUserFromUnit: {
    route: "DELETE /unit/{unitId}/user/{username}",
    expect: [204],
    request: "none",
    response: "no body",
    what: "Failed to remove user from unit",
  },
} as const satisfies Record<string, Endpoint>;
