// Plan and apply against an in-memory fake of the AS methods onboarding uses; the same
// behaviour over HTTP against the sandbox is covered in onboard_sandbox_test.ts.
import assert from "node:assert/strict";
import type { ApiRv } from "../client/as/api_rv.ts";
import { UsageError } from "../client/errors.ts";
import type { OrganisationAllDetail, UnitAllDetail } from "../client/types.ts";
import { parseOnboardCsv } from "../reports/onboard/csv.ts";
import { applyOnboardPlan } from "../reports/onboard/apply.ts";
import { buildOnboardPlan } from "../reports/onboard/plan.ts";
import type { OnboardApi } from "../reports/onboard/types.ts";

const ORG_A = "org-aaaaaaaa-0000-4000-8000-000000000001";
const ORG_B = "org-aaaaaaaa-0000-4000-8000-000000000002";
const ORG_B2 = "org-aaaaaaaa-0000-4000-8000-000000000003";
const ORG_DEF = "org-aaaaaaaa-0000-4000-8000-00000000000d";
const UNIT_LAB = "unit-bbbbbbbb-0000-4000-8000-000000000001";
const UNIT_LAB_B = "unit-bbbbbbbb-0000-4000-8000-000000000002";
const UNIT_OPS = "unit-bbbbbbbb-0000-4000-8000-000000000003";
const UNIT_PERSONAL = "unit-bbbbbbbb-0000-4000-8000-00000000000f";

function ok<T>(msg: T, httpStatusCode = 200): ApiRv<T> {
  return { success: true, msg, httpStatusCode };
}
function fail(status: number, error: string): ApiRv<never> {
  return { success: false, msg: { error }, httpStatusCode: status };
}

/** A fake AS: organisations and units with member sets, a call log, failing unit ids. */
function fakeAs(options: { failUnit?: string } = {}) {
  const org = (id: string, name: string) => ({
    caller_is_member: true,
    id,
    name,
    owner_id: id === ORG_DEF ? undefined : "admin",
    private: false,
    created: "2026-01-01T00:00:00Z",
    default_product_privacy: "DEFAULT_PUBLIC" as const,
    members: new Set<string>(),
  });
  const orgs = [
    org(ORG_A, "Acme"),
    org(ORG_B, "Beta"),
    org(ORG_B2, "Beta"),
    org(ORG_DEF, "Default"),
  ];
  const unit = (id: string, name: string, orgId: string, owner = "admin") => ({
    ...org(id, name),
    owner_id: owner,
    billing_day: 3,
    orgId,
  });
  const units = [
    unit(UNIT_LAB, "Lab", ORG_A, "olivia"),
    unit(UNIT_LAB_B, "Lab", ORG_B),
    unit(UNIT_OPS, "Ops", ORG_A),
    unit(UNIT_PERSONAL, "Personal unit of zed", ORG_DEF, "zed"),
  ];
  const calls: string[] = [];
  const orgView = (o: typeof orgs[number]): OrganisationAllDetail => {
    const { members, ...rest } = o;
    return { ...rest, users: [...members].map((id) => ({ id })) };
  };
  const unitView = (u: typeof units[number]): UnitAllDetail => {
    const { members, orgId: _o, ...rest } = u;
    return { ...rest, owner_id: u.owner_id!, users: [...members].map((id) => ({ id })) };
  };
  const member = (set: Set<string> | undefined, id: string, add: boolean, name: string) => {
    if (!set) return Promise.resolve(fail(404, `No such ${name}`));
    if (id === options.failUnit) return Promise.resolve(fail(500, "Internal error (injected)"));
    if (add) set.add(name);
    else set.delete(name);
    return Promise.resolve(ok({}, add ? 201 : 204));
  };
  const api: OnboardApi = {
    getOrganisations: () => {
      calls.push("GET /organisation");
      return Promise.resolve(ok({ count: orgs.length, organisations: orgs.map(orgView) }));
    },
    getOrganisation: (_t, { orgId }) => {
      calls.push(`GET /organisation/${orgId}`);
      const o = orgs.find((x) => x.id === orgId);
      return Promise.resolve(o ? ok(orgView(o)) : fail(404, "No such organisation"));
    },
    getUnits: () => {
      calls.push("GET /unit");
      const groups = orgs.map((o) => ({
        organisation: orgView(o),
        units: units.filter((u) => u.orgId === o.id).map(unitView),
      }));
      return Promise.resolve(ok({ units: groups }));
    },
    getUnit: (_t, { unitId }) => {
      calls.push(`GET /unit/${unitId}`);
      const u = units.find((x) => x.id === unitId);
      return Promise.resolve(u ? ok(unitView(u)) : fail(404, "No such unit"));
    },
    getDefaultOrganisation: () => Promise.resolve(ok({ id: ORG_DEF, name: "Default" })),
    addUserToOrganisation: (_t, { orgId, username }) => {
      calls.push(`PUT /organisation/${orgId}/user/${username}`);
      return member(orgs.find((o) => o.id === orgId)?.members, orgId, true, username);
    },
    removeUserFromOrganisation: (_t, { orgId, username }) => {
      calls.push(`DELETE /organisation/${orgId}/user/${username}`);
      return member(orgs.find((o) => o.id === orgId)?.members, orgId, false, username);
    },
    addUserToUnit: (_t, { unitId, username }) => {
      calls.push(`PUT /unit/${unitId}/user/${username}`);
      return member(units.find((u) => u.id === unitId)?.members, unitId, true, username);
    },
    removeUserFromUnit: (_t, { unitId, username }) => {
      calls.push(`DELETE /unit/${unitId}/user/${username}`);
      return member(units.find((u) => u.id === unitId)?.members, unitId, false, username);
    },
  };
  const tokens = { getToken: () => Promise.resolve("fake-token") };
  return { client: { api, tokens }, calls, orgs, units };
}

const csv = (...rows: string[]) =>
  parseOnboardCsv(["username,organisation,unit", ...rows].join("\n"), { file: "t.csv" });

Deno.test("buildOnboardPlan resolves names and ids and rejects what cannot be applied", async () => {
  const { client } = fakeAs();
  const plan = await buildOnboardPlan(
    client,
    csv(
      "alice,Acme,", // 2 ok: org by name
      `bob,,${UNIT_OPS}`, // 3 ok: unit by id
      "carol,Acme,Lab", // 4 ok: Lab looked up inside Acme
      "dave,,Lab", // 5 ambiguous: Lab in Acme and in Beta
      "erin,Beta,", // 6 ambiguous organisation name
      "frank,Nope,", // 7 unknown organisation
      `gina,Acme,${UNIT_LAB_B}`, // 8 unit of another organisation
      `hank,,${UNIT_PERSONAL}`, // 9 personal unit
      "ivan,Default,", // 10 Default organisation
      "alice,acme,", // 11 wrong case
      `alice,${ORG_A},`, // 12 duplicate of line 2 (by id)
      "judy,Acme,Nope", // 13 unknown unit in Acme
    ),
  );
  assert.deepEqual(plan.rows.map((r) => r.row.line), [2, 3, 4]);
  assert.deepEqual(plan.rows[2].steps.map((s) => s.target.id), [ORG_A, UNIT_LAB]);
  const byLine = new Map(plan.invalid.map((i) => [i.line, i.message]));
  assert.deepEqual([...byLine.keys()], [5, 6, 7, 8, 9, 10, 11, 12, 13]);
  assert.match(
    byLine.get(5)!,
    /^File "t\.csv" line 5: unit name "Lab" is ambiguous \(unit-.*\); use the id/,
  );
  assert.match(byLine.get(6)!, /organisation name "Beta" is ambiguous/);
  assert.match(byLine.get(7)!, /no organisation named "Nope" is visible to you; check the name/);
  assert.match(byLine.get(8)!, /belongs to organisation "Beta" .*, not "Acme"; correct/);
  assert.match(byLine.get(9)!, /is a personal unit .*; users cannot be added/);
  assert.match(byLine.get(10)!, /is the Default organisation/);
  assert.match(byLine.get(11)!, /did you mean "Acme"\? Names are case-sensitive/);
  assert.match(byLine.get(12)!, /duplicates line 2/);
  assert.match(byLine.get(13)!, /no unit named "Nope" in organisation "Acme"/);
  // Nearest first: "nope" -> "ops" is 2 edits (drop n, e -> s), "nope" -> "lab" is 4.
  assert.match(byLine.get(13)!, /nearest names: "Ops", "Lab"$/);
  // The Default organisation is never offered: rows cannot name it.
  assert.match(byLine.get(7)!, /nearest names: "Acme", "Beta", "Beta"$/);
});

Deno.test("buildOnboardPlan fetches each target's users once and marks members unchanged", async () => {
  const { client, calls, orgs } = fakeAs();
  orgs[0].members.add("alice");
  const plan = await buildOnboardPlan(
    client,
    csv("alice,Acme,", "bob,Acme,Lab", "olivia,,Ops", "olivia,Acme,Lab"),
  );
  assert.equal(calls.filter((c) => c === `GET /organisation/${ORG_A}`).length, 1);
  assert.equal(calls.filter((c) => c === `GET /unit/${UNIT_LAB}`).length, 1);
  const states = plan.rows.map((r) => r.steps.map((s) => s.state).join("+"));
  // olivia owns Lab: a member already, so the unit step is unchanged.
  assert.deepEqual(states, ["unchanged", "change+change", "change", "change+unchanged"]);
  assert.equal(plan.rows[3].steps[0].ownerLine, undefined);
  assert.equal(calls.filter((c) => c.startsWith("PUT")).length, 0);
  const remove = await buildOnboardPlan(client, csv("olivia,Acme,Lab", "alice,Acme,"), {
    action: "remove",
  });
  assert.deepEqual(remove.rows.map((r) => r.row.line), [3]);
  assert.equal(
    remove.invalid[0].message,
    'File "t.csv" line 2: user "olivia" owns unit "Lab" and cannot be removed from it; transfer the ownership first or delete the row',
  );
});

Deno.test("applyOnboardPlan adds, then reports unchanged, and --remove undoes it", async () => {
  const fake = fakeAs();
  const file = csv("alice,Acme,", "bob,Acme,Lab", `carol,,${UNIT_OPS}`, `bob,,${UNIT_LAB}`);
  const first = await applyOnboardPlan(fake.client, await buildOnboardPlan(fake.client, file));
  assert.deepEqual(first.results.map((r) => [r.line, r.outcome]), [
    [2, "added"],
    [3, "added"],
    [4, "added"],
    [5, "unchanged"], // bob's unit step is done by line 3, not sent twice
  ]);
  assert.match(first.results[3].message, /added by line 3/);
  assert.equal(fake.calls.filter((c) => c === `PUT /unit/${UNIT_LAB}/user/bob`).length, 1);
  assert.deepEqual([...fake.orgs[0].members].sort(), ["alice", "bob"]);
  assert.deepEqual([...fake.units[0].members], ["bob"]);

  const again = await applyOnboardPlan(fake.client, await buildOnboardPlan(fake.client, file));
  assert.deepEqual(again.counts, { added: 0, unchanged: 4, removed: 0, failed: 0, skipped: 0 });

  const remove = await buildOnboardPlan(fake.client, file, { action: "remove" });
  assert.deepEqual(remove.rows[1].steps.map((s) => s.target.kind), ["unit", "organisation"]);
  const undone = await applyOnboardPlan(fake.client, remove, { concurrency: 2 });
  assert.deepEqual(undone.results.map((r) => r.outcome), [
    "removed",
    "removed",
    "removed",
    "unchanged",
  ]);
  assert.equal(fake.orgs[0].members.size + fake.units[0].members.size, 0);
  const twice = await applyOnboardPlan(
    fake.client,
    await buildOnboardPlan(fake.client, file, { action: "remove" }),
  );
  assert.equal(twice.counts.unchanged, 4);
  assert.match(twice.results[0].message, /not a member/);
});

Deno.test("applyOnboardPlan refuses invalid rows unless skipInvalid, then skips them", async () => {
  const fake = fakeAs();
  const plan = await buildOnboardPlan(fake.client, csv("alice,Acme,", "bob,Nope,", "x,Acme,"));
  await assert.rejects(() => applyOnboardPlan(fake.client, plan), (error) => {
    assert.ok(error instanceof UsageError);
    assert.match(error.message, /2 invalid row\(s\), nothing was applied/);
    assert.match(error.message, /line 3: no organisation named "Nope"/);
    assert.match(error.message, /line 4: username "x" is not valid/);
    return true;
  });
  assert.equal(fake.calls.filter((c) => c.startsWith("PUT")).length, 0);
  const done = await applyOnboardPlan(fake.client, plan, { skipInvalid: true });
  assert.deepEqual(done.results.map((r) => [r.line, r.outcome]), [[2, "added"], [3, "skipped"], [
    4,
    "skipped",
  ]]);
  assert.equal(done.results[1].username, "bob");
  assert.equal(done.results[1].organisation, "Nope");
});

Deno.test("applyOnboardPlan reports exactly the failing rows and a re-run completes them", async () => {
  const fake = fakeAs({ failUnit: UNIT_OPS });
  const file = csv("alice,Acme,Ops", "bob,Acme,", "carol,,Ops", "dave,Acme,Lab");
  const lines: number[] = [];
  const run = await applyOnboardPlan(fake.client, await buildOnboardPlan(fake.client, file), {
    onRow: (r) => lines.push(r.line),
  });
  assert.deepEqual(lines.sort(), [2, 3, 4, 5]);
  assert.deepEqual(run.results.map((r) => r.outcome), ["failed", "added", "failed", "added"]);
  assert.equal(
    run.results[0].message,
    "organisation added; unit failed: HTTP 500: Internal error (injected)",
  );
  assert.equal(run.results[2].message, "HTTP 500: Internal error (injected)");
  assert.equal(run.counts.failed, 2);

  const healed = fakeAs();
  // Carry the state over to a fault-free server: what was done stays done.
  healed.orgs[0].members = fake.orgs[0].members;
  healed.units.forEach((u, i) => u.members = fake.units[i].members);
  const rerun = await applyOnboardPlan(healed.client, await buildOnboardPlan(healed.client, file));
  assert.deepEqual(rerun.results.map((r) => r.outcome), [
    "added",
    "unchanged",
    "added",
    "unchanged",
  ]);
  assert.equal(rerun.results[0].message, "organisation unchanged: already a member; unit added");
  assert.deepEqual(healed.calls.filter((c) => c.startsWith("PUT")).sort(), [
    `PUT /unit/${UNIT_OPS}/user/alice`,
    `PUT /unit/${UNIT_OPS}/user/carol`,
  ]);
});
