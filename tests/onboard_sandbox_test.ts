// Acceptance of bulk onboarding through the library, over HTTP against an in-process
// sandbox (AS + Keycloak), checking the outcome through the API and the sandbox state.
import assert from "node:assert/strict";
import { stringify } from "csv-stringify/sync";
import { unwrap } from "../client/as/api_rv.ts";
import { AsApi } from "../client/as/mod.ts";
import { applyOnboardPlan, type OnboardResults } from "../reports/onboard/apply.ts";
import { parseOnboardCsv } from "../reports/onboard/csv.ts";
import { buildOnboardPlan } from "../reports/onboard/plan.ts";
import type { OnboardAction, OnboardClient } from "../reports/onboard/types.ts";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";
import { sandboxConnection } from "../scripts/connect.ts";

async function withSandbox(fn: (sb: RunningSandbox, client: OnboardClient) => Promise<void>) {
  const sb = await startSandbox({ port: 0, seed: 1, now: "2026-03-15T12:00:00Z", quiet: true });
  try {
    // Fast backoff so retried faults do not slow the test; 3 attempts as by default.
    const api = new AsApi({ url: sb.asUrl, env: () => undefined, backoff: { baseMs: 2 } });
    await fn(sb, { api, tokens: sandboxConnection(sb).tokens });
  } finally {
    await sb.close();
  }
}

function ids(sb: RunningSandbox) {
  const org = (name: string) => [...sb.state.orgs.values()].find((o) => o.name === name)!;
  const unit = (name: string) => [...sb.state.units.values()].find((u) => u.name === name)!;
  return {
    acme: org("Acme Chemistry, Ltd."),
    sum: org("=SUM(A1) Labs"),
    crystal: unit("Crystallography"),
    orsted: unit("Ørsted Screening"),
    medchem: unit("Medicinal Chemistry"),
    personal: unit("Personal unit of chen.wei"),
  };
}

function file(rows: string[][]) {
  return stringify([["username", "organisation", "unit"], ...rows]);
}

async function run(
  client: OnboardClient,
  text: string,
  options: { action?: OnboardAction; skipInvalid?: boolean } = {},
): Promise<OnboardResults> {
  const parsed = parseOnboardCsv(text, { file: "users.csv" });
  const plan = await buildOnboardPlan(client, parsed, { action: options.action });
  return await applyOnboardPlan(client, plan, { skipInvalid: options.skipInvalid, concurrency: 3 });
}

const outcomes = (r: OnboardResults) => r.results.map((x) => `${x.line}:${x.outcome}`);

Deno.test("onboarding a mixed file adds memberships, a re-run changes nothing, --remove undoes it", async () => {
  await withSandbox(async (sb, client) => {
    const t = ids(sb);
    const added = [
      ["new.user1", "Acme Chemistry, Ltd.", ""],
      ["new.user2", "Acme Chemistry, Ltd.", "Crystallography"],
      ["new.user3", "", t.orsted.id],
      ["new.user1", t.sum.id, "Medicinal Chemistry"],
    ];
    const mixed = file([
      ...added,
      ["chen.wei", "Acme Chemistry, Ltd.", ""], // listed member already
      ["grace_hopper", "=SUM(A1) Labs", ""], // the owner: a member already
    ]);
    const first = await run(client, mixed);
    assert.deepEqual(outcomes(first), [
      "2:added",
      "3:added",
      "4:added",
      "5:added",
      "6:unchanged",
      "7:unchanged",
    ]);

    // Checked through the API, as the admin sees it.
    const token = await client.tokens.getToken();
    const orgUsers =
      unwrap(await client.api.getOrganisation(token, { orgId: t.acme.id }), "org").users;
    assert.deepEqual(orgUsers.map((u) => u.id).sort(), ["chen.wei", "new.user1", "new.user2"]);
    const crystal = unwrap(await client.api.getUnit(token, { unitId: t.crystal.id }), "unit").users;
    assert.deepEqual(crystal.map((u) => u.id), ["new.user2"]);
    const orsted = unwrap(await client.api.getUnit(token, { unitId: t.orsted.id }), "unit").users;
    assert.deepEqual(orsted.map((u) => u.id), ["new.user3"]);
    assert.ok(t.sum.members.has("new.user1") && t.medchem.members.has("new.user1"));

    const actions = sb.state.actions.length;
    const again = await run(client, mixed);
    assert.deepEqual(again.counts, { added: 0, unchanged: 6, removed: 0, failed: 0, skipped: 0 });
    assert.equal(sb.state.actions.length, actions, "a re-run must not send a single change");

    const undo = await run(client, file(added), { action: "remove" });
    assert.deepEqual(outcomes(undo), ["2:removed", "3:removed", "4:removed", "5:removed"]);
    assert.deepEqual([...t.acme.members], ["chen.wei"]);
    assert.equal(t.crystal.members.size + t.orsted.members.size + t.medchem.members.size, 0);
    assert.ok(!t.sum.members.has("new.user1"));
    const undoAgain = await run(client, file(added), { action: "remove" });
    assert.equal(undoAgain.counts.unchanged, 4);
  });
});

Deno.test("one invalid row applies nothing; --skip-invalid applies the valid rows", async () => {
  await withSandbox(async (sb, client) => {
    const t = ids(sb);
    const text = file([
      ["new.user1", "Acme Chemistry, Ltd.", ""],
      ["new.user2", "Acme Chemistry, Ltd.", "Ørsted Screening"], // unit of another org
      ["new.user3", "", t.personal.id], // a personal unit
      ["new.user4", "", "Crystallography"],
    ]);
    const actions = sb.state.actions.length;
    await assert.rejects(() => run(client, text), (error: Error) => {
      assert.match(error.message, /2 invalid row\(s\), nothing was applied/);
      assert.match(
        error.message,
        /line 3: unit "Ørsted Screening" is not in organisation "Acme Chemistry, Ltd\." but in "=SUM\(A1\) Labs" \(unit-[0-9a-f-]{36}\); correct the organisation or the unit/,
      );
      assert.match(error.message, /line 4: unit "unit-.*" is a personal unit/);
      return true;
    });
    assert.equal(sb.state.actions.length, actions);
    assert.equal(t.acme.members.has("new.user1"), false);

    const skipped = await run(client, text, { skipInvalid: true });
    assert.deepEqual(outcomes(skipped), ["2:added", "3:skipped", "4:skipped", "5:added"]);
    assert.ok(t.acme.members.has("new.user1") && t.crystal.members.has("new.user4"));
    assert.ok(!t.orsted.members.has("new.user2") && !t.personal.members.has("new.user3"));
  });
});

Deno.test("injected faults fail exactly their rows; retries heal transient ones; a re-run completes", async () => {
  await withSandbox(async (sb, client) => {
    const t = ids(sb);
    sb.setFaults({
      rules: [
        { methods: ["PUT"], path: `/unit/${t.crystal.id}/user/*`, kind: "status", status: 500 },
        // More 503s than the client's attempts: the organisation step of line 4 fails.
        {
          methods: ["PUT"],
          path: `/organisation/${t.sum.id}/user/*`,
          kind: "status",
          status: 503,
          times: 3,
        },
        // One 503 only: the transport's retry of the idempotent PUT absorbs it.
        {
          methods: ["PUT"],
          path: `/unit/${t.orsted.id}/user/*`,
          kind: "status",
          status: 503,
          times: 1,
        },
      ],
    });
    const text = file([
      ["user.a", "Acme Chemistry, Ltd.", "Crystallography"],
      ["user.b", "Acme Chemistry, Ltd.", ""],
      ["user.c", "=SUM(A1) Labs", "Medicinal Chemistry"],
      ["user.d", "", t.orsted.id],
      ["user.e", "", "Crystallography"],
    ]);
    const first = await run(client, text);
    assert.deepEqual(outcomes(first), ["2:failed", "3:added", "4:failed", "5:added", "6:failed"]);
    assert.match(
      first.results[0].message,
      /^organisation added; unit failed: HTTP 500: Sandbox fault: injected 500$/,
    );
    assert.match(first.results[2].message, /^organisation failed: HTTP 503: .*; unit added$/);
    assert.equal(first.results[4].message, "HTTP 500: Sandbox fault: injected 500");
    assert.ok(t.orsted.members.has("user.d"));

    sb.setFaults({});
    const rerun = await run(client, text);
    assert.deepEqual(outcomes(rerun), [
      "2:added",
      "3:unchanged",
      "4:added",
      "5:unchanged",
      "6:added",
    ]);
    assert.equal(rerun.results[0].message, "organisation unchanged: already a member; unit added");
    assert.ok(
      t.crystal.members.has("user.a") && t.crystal.members.has("user.e") &&
        t.sum.members.has("user.c"),
    );
  });
});
