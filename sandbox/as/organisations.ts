/**
 * Organisation routes (reference §2.8): list, get, create and delete (admin only), patch,
 * users (list, add, remove) and `GET /default/organisation`.
 *
 * Choices: organisation names are unique (a second "Acme" is a 400, as the bulk tools
 * expect); the listing shows the organisations the caller may see, the Default one included;
 * adding someone who is already a member (or the owner) is a no-op answered 200, a new
 * member 201, both with no body; removing a non-member is a 404; the owner cannot be removed.
 * Any username matching the AS pattern may be added: the AS learns users from Keycloak
 * lazily, so it does not know who exists.
 *
 * @module
 */

import type { Hono } from "hono";
import type { OrgRecord, SandboxState } from "../state.ts";
import { type Access, createAccess } from "./access.ts";
import {
  type AsContext,
  type AsEnv,
  badRequest,
  checkName,
  checkPrivacy,
  empty,
  forbidden,
  principalOf,
  readJsonObject,
} from "./http.ts";
import { addMember, checkUsername, removeMember } from "./members.ts";
import { orgAllDetail, orgDetail, usersOf } from "./views.ts";

/** The organisation if the caller may change it (admin, owner or member), else 403. */
function changeableOrg(access: Access, id: string): OrgRecord {
  const org = access.org(id);
  if (org.isDefault) {
    throw badRequest(`Organisation "${id}" is the Default organisation: it cannot be changed`);
  }
  if (!access.isAdmin && !access.isOrgMember(org)) {
    throw forbidden(`You are not a member of organisation "${id}": ask its owner or an admin`);
  }
  return org;
}

/** Registers the organisation routes on `app`. */
export function registerOrganisationRoutes(app: Hono<AsEnv>, state: SandboxState): void {
  const access = (c: AsContext) => createAccess(state, principalOf(c));

  app.get("/organisation", (c) => {
    const a = access(c);
    const name = c.req.query("name");
    const orgs = [...state.orgs.values()].filter((o) =>
      a.canSeeOrg(o) && (name === undefined || o.name === name)
    );
    return c.json({ count: orgs.length, organisations: orgs.map((o) => orgAllDetail(o, a)) });
  });

  app.get("/default/organisation", (c) => c.json(orgDetail(state.defaultOrg(), access(c))));

  app.get("/organisation/:id", (c) => {
    const a = access(c);
    return c.json(orgAllDetail(a.org(c.req.param("id")), a));
  });

  app.post("/organisation", async (c) => {
    const a = access(c);
    if (!a.isAdmin) {
      throw forbidden("Creating organisations needs the account-server-admin role: ask an admin");
    }
    const body = await readJsonObject(c);
    const name = checkName(body.name);
    const owner = checkUsername(body.owner, "owner");
    const privacy = checkPrivacy(body.default_product_privacy) ?? "DEFAULT_PRIVATE";
    if ([...state.orgs.values()].some((o) => o.name === name)) {
      throw badRequest(`An organisation called "${name}" already exists: choose another name`);
    }
    const org: OrgRecord = {
      id: state.newId("org"),
      name,
      ownerId: owner,
      created: state.nowIso(),
      defaultProductPrivacy: privacy,
      private: false,
      members: new Set(),
      isDefault: false,
    };
    state.orgs.set(org.id, org);
    state.recordAction("ORGANISATION_CREATED", { fields: { name }, orgId: org.id });
    return c.json({ id: org.id }, 201);
  });

  app.patch("/organisation/:id", async (c) => {
    const org = changeableOrg(access(c), c.req.param("id"));
    const body = await readJsonObject(c);
    const name = body.name === undefined ? undefined : checkName(body.name);
    const privacy = checkPrivacy(body.default_product_privacy);
    if (name !== undefined && [...state.orgs.values()].some((o) => o.name === name && o !== org)) {
      throw badRequest(`An organisation called "${name}" already exists: choose another name`);
    }
    if (name !== undefined) org.name = name;
    // A new default privacy applies to units created from now on (reference §2.8).
    if (privacy !== undefined) org.defaultProductPrivacy = privacy;
    return empty(200);
  });

  app.delete("/organisation/:id", (c) => {
    const a = access(c);
    if (!a.isAdmin) {
      throw forbidden("Deleting organisations needs the account-server-admin role: ask an admin");
    }
    const org = a.org(c.req.param("id"));
    if (org.isDefault) {
      throw badRequest(
        `Organisation "${org.id}" is the Default organisation: it cannot be deleted`,
      );
    }
    const units = state.unitsOf(org.id).length;
    if (units > 0) {
      throw badRequest(`Organisation "${org.id}" still has ${units} unit(s): delete them first`);
    }
    state.orgs.delete(org.id);
    state.recordAction("ORGANISATION_DELETED", { fields: { name: org.name }, orgId: org.id });
    return empty(204);
  });

  app.get("/organisation/:id/user", (c) => {
    const a = access(c);
    const org = a.org(c.req.param("id"));
    const users = usersOf(org.members);
    return c.json({ count: users.length, organisation: orgDetail(org, a), users });
  });

  app.put("/organisation/:id/user/:username", (c) => {
    const org = changeableOrg(access(c), c.req.param("id"));
    const username = c.req.param("username");
    return addMember(org, username, () => {
      state.recordAction("ORGANISATION_USER_ADDED", { fields: { username }, orgId: org.id });
    });
  });

  app.delete("/organisation/:id/user/:username", (c) => {
    const org = changeableOrg(access(c), c.req.param("id"));
    const username = c.req.param("username");
    return removeMember(org, username, {
      owner:
        `User "${username}" owns organisation "${org.id}" and cannot be removed from it: transfer is not supported, keep them`,
      notMember:
        `User "${username}" is not a member of organisation "${org.id}": list members with GET /organisation/{id}/user`,
    }, () => {
      state.recordAction("ORGANISATION_USER_REMOVED", { fields: { username }, orgId: org.id });
    });
  });
}
