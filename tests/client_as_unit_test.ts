import assert from "node:assert/strict";
import { AsApi } from "../client/as/mod.ts";
import { ProtocolError, UsageError } from "../client/errors.ts";
import { periodQuery } from "../client/as/periods.ts";

const TOKEN = "unit-test-token-0123456789";

type Handler = (req: Request) => Response | Promise<Response>;

function fakeFetch(handler: Handler = () => Response.json({})) {
  const calls: Request[] = [];
  const fn = ((input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    calls.push(req);
    return Promise.resolve(handler(req.clone()));
  }) as typeof fetch;
  return { fn, calls };
}

function api(handler?: Handler, extra: ConstructorParameters<typeof AsApi>[0] = {}) {
  const f = fakeFetch(handler);
  const client = new AsApi({
    url: "http://as.test/account-server-api///",
    env: () => undefined,
    fetch: f.fn,
    sleep: () => Promise.resolve(),
    ...extra,
  });
  return { client, calls: f.calls };
}

const SEED_METHODS = [
  "addUserToOrganisation",
  "addUserToUnit",
  "alterAsset",
  "alterOrganisation",
  "alterProduct",
  "alterUnit",
  "attachAsset",
  "createAsset",
  "createEventStream",
  "createOrganisation",
  "createPersonalUnit",
  "createProduct",
  "createUnit",
  "deleteAsset",
  "deleteEventStream",
  "deleteOrganisation",
  "deletePersonalUnit",
  "deleteProduct",
  "deleteUnit",
  "detachAsset",
  "disableAsset",
  "enableAsset",
  "getAccount",
  "getApiUrl",
  "getAsset",
  "getAvailableAssets",
  "getAvailableProducts",
  "getAvailableUnits",
  "getDefaultOrganisation",
  "getEventStream",
  "getEventStreamVersion",
  "getMerchant",
  "getMerchants",
  "getOrganisation",
  "getOrganisationCharges",
  "getOrganisationUnits",
  "getOrganisationUsers",
  "getOrganisations",
  "getPersonalUnit",
  "getProduct",
  "getProductCharges",
  "getProductDefaultStorageCost",
  "getProductTypes",
  "getProductsForOrganisation",
  "getProductsForUnit",
  "getUnit",
  "getUnitCharges",
  "getUnitUsers",
  "getUnits",
  "getVersion",
  "ping",
  "removeUserFromOrganisation",
  "removeUserFromUnit",
  "setApiUrl",
  "getActions",
  "getCharges",
]; // deno-fmt-ignore

Deno.test("AsApi: has every seed method plus getActions and getCharges", () => {
  const client = new AsApi({ env: () => undefined });
  for (const name of SEED_METHODS) {
    assert.equal(typeof (client as unknown as Record<string, unknown>)[name], "function", name);
  }
});

Deno.test("AsApi: no URL gives a failed ApiRv with status 0 and no request", async () => {
  const f = fakeFetch();
  const client = new AsApi({ env: () => undefined, fetch: f.fn });
  const rv = await client.getVersion();
  assert.deepEqual(rv, {
    success: false,
    msg: { error: "No API URL defined: set SQUONK2_ASAPI_URL or call setApiUrl()" },
    httpStatusCode: 0,
  });
  assert.equal(f.calls.length, 0);
});

Deno.test("AsApi: environment defaults, setApiUrl and getApiUrl", () => {
  const env: Record<string, string> = {
    SQUONK2_ASAPI_URL: "https://as.example/account-server-api/",
    SQUONK2_ASAPI_VERIFY_SSL_CERT: "No",
  };
  const client = new AsApi({ env: (n) => env[n] });
  assert.deepEqual(client.getApiUrl(), {
    url: "https://as.example/account-server-api",
    verifySslCert: false,
  });
  client.setApiUrl("http://localhost:8080/api/");
  assert.deepEqual(client.getApiUrl(), { url: "http://localhost:8080/api", verifySslCert: true });
  client.setApiUrl("http://localhost:8080/api", { verifySslCert: false });
  assert.equal(client.getApiUrl().verifySslCert, false);
  assert.throws(() => client.setApiUrl(""), UsageError);
  assert.throws(() => client.setApiUrl("ftp://x"), /Invalid AS URL "ftp:\/\/x"/);
  const yes = new AsApi({ env: (n) => ({ SQUONK2_ASAPI_VERIFY_SSL_CERT: "YES" })[n] });
  assert.equal(yes.getApiUrl().verifySslCert, true);
});

Deno.test("AsApi: token only where needed, trailing slashes stripped, ids encoded", async () => {
  const { client, calls } = api();
  await client.getVersion();
  await client.getUnit(TOKEN, { unitId: "unit a/b" });
  await client.addUserToUnit(TOKEN, { unitId: "unit-1", username: "jo@x.org" });
  assert.equal(calls[0].url, "http://as.test/account-server-api/version");
  assert.equal(calls[0].headers.get("authorization"), null);
  assert.equal(calls[1].url, "http://as.test/account-server-api/unit/unit%20a%2Fb");
  assert.equal(calls[1].headers.get("authorization"), `Bearer ${TOKEN}`);
  assert.equal(calls[2].method, "PUT");
  assert.equal(calls[2].url, "http://as.test/account-server-api/unit/unit-1/user/jo%40x.org");
});

Deno.test("AsApi: server error text is kept; no text gives the method's text and status", async () => {
  const { client } = api((req) =>
    req.url.endsWith("/unit/missing")
      ? Response.json({ error: "Unit missing does not exist" }, { status: 404 })
      : req.url.endsWith("/unit/locked")
      ? new Response(null, { status: 403 })
      : new Response(null, { status: 401 })
  );
  const a = await client.getUnit(TOKEN, { unitId: "missing" });
  assert.deepEqual(a, {
    success: false,
    msg: { error: "Unit missing does not exist" },
    httpStatusCode: 404,
  });
  const b = await client.getUnit(TOKEN, { unitId: "locked" });
  assert.deepEqual(b.msg, { error: "Failed to get unit (HTTP 403)" });
  const c = await client.getUnit(TOKEN, { unitId: "other" });
  assert.equal(c.httpStatusCode, 401);
  assert.match(
    (c.msg as { error: string }).error,
    /^Failed to get unit \(HTTP 401\): the access token/,
  );
});

Deno.test("AsApi: 204 and empty 200 give {}, 200 and 201 both accepted for add-user", async () => {
  let status = 200;
  const { client } = api(() => new Response(null, { status }));
  assert.deepEqual(await client.deleteUnit(TOKEN, { unitId: "u" }), {
    success: false,
    msg: { error: "Failed to delete unit (HTTP 200)" },
    httpStatusCode: 200,
  });
  status = 204;
  assert.deepEqual(await client.deleteUnit(TOKEN, { unitId: "u" }), {
    success: true,
    msg: {},
    httpStatusCode: 204,
  });
  for (status of [200, 201]) {
    const rv = await client.addUserToOrganisation(TOKEN, { orgId: "o", username: "u" });
    assert.equal(rv.success, true);
    assert.deepEqual(rv.msg, {});
  }
});

Deno.test("AsApi: a network failure is a failed ApiRv with status 0", async () => {
  const { client, calls } = api(() => Promise.reject(new TypeError("Connection refused")));
  const rv = await client.getMerchants(TOKEN);
  assert.equal(rv.success, false);
  assert.equal(rv.httpStatusCode, 0);
  assert.match(
    (rv.msg as { error: string }).error,
    /^Failed getting merchants: GET .* failed after 3 attempts/,
  );
  assert.equal(calls.length, 3);
});

Deno.test("AsApi: a 200 body that is not a JSON object is a failure", async () => {
  const { client } = api(() => new Response("<html>proxy login</html>", { status: 200 }));
  const rv = await client.getAccount(TOKEN);
  assert.equal(rv.success, false);
  assert.equal(rv.httpStatusCode, 200);
  assert.equal(
    (rv.msg as { error: string }).error,
    "getAccount: AS answered GET /user/account with a body that is not UserAccountDetail: " +
      "expected a JSON object, got an HTML page (Content-Type: text/plain)",
  );
  assert.ok(!rv.success && rv.error instanceof ProtocolError);
});

Deno.test("AsApi: invalid arguments throw UsageError before any request", async () => {
  const { client, calls } = api();
  await assert.rejects(
    () => client.getProductCharges(TOKEN, { productId: "p", pbp: 1 }),
    UsageError,
  );
  await assert.rejects(
    () => client.getUnitCharges(TOKEN, { unitId: "u", pbp: -24 }),
    /Invalid pbp "-24"/,
  );
  await assert.rejects(() => client.getCharges(TOKEN, { pbp: -1.5 }), UsageError);
  await assert.rejects(
    () =>
      client.getOrganisationCharges(TOKEN, { orgId: "o", from: "2026-11-01", until: "2026-10-01" }),
    /from must be before until/,
  );
  await assert.rejects(() => client.getCharges(TOKEN, { from: "2026-02-30" }), /Invalid from date/);
  await assert.rejects(() => client.getUnit(TOKEN, { unitId: "" }), /AsApi.getUnit needs unitId/);
  await assert.rejects(() => client.getUnit("", { unitId: "u" }), /needs an access token/);
  await assert.rejects(
    () => client.createUnit(TOKEN, { unitName: "n", orgId: "o", billingDay: 29 }),
    /billingDay "29"/,
  );
  await assert.rejects(() => client.getMerchant(TOKEN, { merchantId: 0 }), UsageError);
  await assert.rejects(
    () => client.createAsset(TOKEN, { name: "a", scope: "GLOBAL" }),
    /exactly one of contentString and contentFile/,
  );
  await assert.rejects(
    () => client.getActions(TOKEN, { unitId: "u", orgId: "o" }),
    /at most one of merchantId/,
  );
  assert.equal(calls.length, 0);
});

Deno.test("AsApi: period arguments become from/until/pbp query parameters", async () => {
  const { client, calls } = api();
  await client.getProductCharges(TOKEN, {
    productId: "product-1",
    from: new Date("2026-10-03T00:00:00Z"),
    until: "2026-11-03",
  });
  await client.getUnitCharges(TOKEN, { unitId: "u", pbp: -2 });
  await client.getCharges(TOKEN, { pbp: 0 });
  const q0 = new URL(calls[0].url).searchParams;
  assert.equal(new URL(calls[0].url).pathname, "/account-server-api/charges/product/product-1");
  assert.equal(q0.get("from"), "2026-10-03");
  assert.equal(q0.get("until"), "2026-11-03");
  assert.equal(new URL(calls[1].url).searchParams.get("pbp"), "-2");
  assert.equal(new URL(calls[2].url).search, "");
  assert.deepEqual(periodQuery({}), {});
  assert.throws(() => periodQuery({ pbp: -1, from: "2026-01-01" }), /cannot be combined/);
});

Deno.test("AsApi: JSON bodies use the AS field names", async () => {
  const { client, calls } = api(() => Response.json({ id: "x" }, { status: 201 }));
  await client.createOrganisation(TOKEN, { orgName: "Acme", orgOwner: "alice" });
  await client.createUnit(TOKEN, { unitName: "Lab", orgId: "org-1", billingDay: 3 });
  await client.createProduct(TOKEN, {
    productName: "Store",
    unitId: "unit-1",
    productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
    allowance: 100,
    limit: 0,
  });
  await client.createPersonalUnit(TOKEN, { billingDay: 28 });
  await client.createEventStream(TOKEN, { eventFormat: "JSON_STRING" });
  assert.deepEqual(await calls[0].json(), { name: "Acme", owner: "alice" });
  assert.deepEqual(await calls[1].json(), { name: "Lab", billing_day: 3 });
  assert.equal(new URL(calls[1].url).pathname, "/account-server-api/organisation/org-1/unit");
  assert.deepEqual(await calls[2].json(), {
    name: "Store",
    type: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
    allowance: 100,
  });
  assert.equal(calls[3].method, "PUT");
  assert.deepEqual(await calls[3].json(), { billing_day: 28 });
  assert.deepEqual(await calls[4].json(), { format: "JSON_STRING" });
});

Deno.test("AsApi: assets are multipart, content from string, bytes, Blob or path", async () => {
  const { client, calls } = api(() => Response.json({ id: "asset-1" }, { status: 201 }));
  const file = await Deno.makeTempFile({ suffix: ".txt" });
  try {
    await Deno.writeTextFile(file, "from a file");
    await client.createAsset(TOKEN, {
      name: "key-1",
      scope: "UNIT",
      scopeId: "unit-1",
      contentString: "s3cr3t",
      isSecret: true,
      description: "d",
    });
    await client.createAsset(TOKEN, {
      name: "b",
      scope: "GLOBAL",
      contentFile: new Uint8Array([104, 105]),
    });
    await client.createAsset(TOKEN, { name: "c", scope: "USER", contentFile: file });
    await client.alterAsset(TOKEN, { assetId: "asset-1", contentFile: new Blob(["blob"]) });
  } finally {
    await Deno.remove(file);
  }
  assert.match(calls[0].headers.get("content-type")!, /^multipart\/form-data; boundary=/);
  const f0 = await calls[0].formData();
  assert.equal(f0.get("name"), "key-1");
  assert.equal(f0.get("scope"), "UNIT");
  assert.equal(f0.get("scope_id"), "unit-1");
  assert.equal(f0.get("secret"), "true");
  assert.equal(f0.get("content_string"), "s3cr3t");
  assert.equal(f0.get("description"), "d");
  assert.equal(f0.has("content_file"), false);
  const f1 = await calls[1].formData();
  assert.equal(await (f1.get("content_file") as File).text(), "hi");
  assert.equal(f1.get("secret"), "false");
  const f2 = await calls[2].formData();
  assert.equal(await (f2.get("content_file") as File).text(), "from a file");
  assert.equal(calls[3].method, "PATCH");
  assert.equal(await ((await calls[3].formData()).get("content_file") as File).text(), "blob");
});

Deno.test("AsApi: asset scope ids are inferred like the Python client", async () => {
  const { client, calls } = api();
  const uuid = "0123abcd-0000-4000-8000-00000000abcd";
  await client.getAvailableAssets(TOKEN, { scopeId: `unit-${uuid}` });
  await client.getAvailableAssets(TOKEN, { scopeId: `org-${uuid}` });
  await client.getAvailableAssets(TOKEN, { scopeId: `product-${uuid}` });
  await client.getAvailableAssets(TOKEN, { scopeId: "alice" });
  await client.attachAsset(TOKEN, { assetId: "asset-1", mId: 2 });
  assert.equal(new URL(calls[0].url).searchParams.get("unit_id"), `unit-${uuid}`);
  assert.equal(new URL(calls[1].url).searchParams.get("org_id"), `org-${uuid}`);
  assert.equal(new URL(calls[2].url).searchParams.get("product_id"), `product-${uuid}`);
  assert.equal(new URL(calls[3].url).searchParams.get("user_id"), "alice");
  assert.equal(new URL(calls[4].url).pathname, "/account-server-api/asset/asset-1/attach");
  assert.equal(new URL(calls[4].url).searchParams.get("m_id"), "2");
  await assert.rejects(
    () => client.getAvailableAssets(TOKEN, { scopeId: `asset-${uuid}` }),
    UsageError,
  );
});

Deno.test("AsApi: verifySslCert false on https warns once with the flag to add", async () => {
  const warnings: string[] = [];
  const { client } = api(undefined, {
    url: "https://as.example/api",
    verifySslCert: false,
    warn: (l) => warnings.push(l),
  });
  await client.getVersion();
  await client.getVersion();
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /--unsafely-ignore-certificate-errors=as\.example/);
  const quiet: string[] = [];
  const { client: plain } = api(undefined, { verifySslCert: false, warn: (l) => quiet.push(l) });
  await plain.getVersion();
  assert.equal(quiet.length, 0);
});

Deno.test("AsApi: SQUONK2_API_DEBUG_REQUESTS=yes logs a redacted line per attempt", async () => {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    const f = fakeFetch(() => Response.json({ version: "1" }));
    const env: Record<string, string> = {
      SQUONK2_ASAPI_URL: "http://as.test/api",
      SQUONK2_API_DEBUG_REQUESTS: "Yes",
    };
    const client = new AsApi({ env: (n) => env[n], fetch: f.fn });
    await client.getAccount(TOKEN);
  } finally {
    console.error = original;
  }
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^\[as\] GET http:\/\/as\.test\/api\/user\/account -> 200 attempt 1\/3/);
  assert.ok(!lines[0].includes(TOKEN));
});

Deno.test("AsApi: a retried DELETE that meets its own effect says so", async () => {
  let n = 0;
  const { client, calls } = api(() =>
    ++n === 1
      ? Promise.reject(new TypeError("connection reset"))
      : Response.json({ error: "Unit u does not exist" }, { status: 404 })
  );
  const rv = await client.deleteUnit(TOKEN, { unitId: "u" });
  assert.equal(calls.length, 2);
  assert.equal(rv.httpStatusCode, 404);
  assert.deepEqual(rv.msg, {
    error: "Unit u does not exist (after 2 attempts: an earlier attempt may have succeeded)",
  });
});

Deno.test("AsApi: a URL from the environment without http(s) fails clearly, with no request", async () => {
  const f = fakeFetch();
  for (const url of ["localhost:8080/api", "as.example.com/account-server-api"]) {
    const client = new AsApi({ env: (n) => ({ SQUONK2_ASAPI_URL: url })[n], fetch: f.fn });
    const rv = await client.getVersion();
    assert.equal(rv.httpStatusCode, 0);
    assert.match((rv.msg as { error: string }).error, new RegExp(`^Invalid AS URL "${url}"`));
  }
  assert.equal(f.calls.length, 0);
});
