import assert from "node:assert/strict";
import { AsApi } from "../client/as/mod.ts";
import type { Endpoint } from "../client/as/endpoint_types.ts";
import { ENDPOINTS } from "../client/as/endpoints.ts";
import { RESPONSE_SCHEMAS } from "../client/as/schemas.ts";
import { formatPath } from "../client/as/validate.ts";
import { Coins } from "../client/coins.ts";
import { ProtocolError } from "../client/errors.ts";

const TOKEN = "schema-test-token-0123456789";
const SEED = new URL("../../shared/seeds/000_08196b88077fd2c2.txt", import.meta.url);

type Handler = (req: Request) => Response | Promise<Response>;

function api(handler: Handler) {
  const calls: Request[] = [];
  const fetchFn = ((input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    calls.push(req);
    return Promise.resolve(handler(req.clone()));
  }) as typeof fetch;
  const client = new AsApi({
    url: "http://as.test/account-server-api",
    env: () => undefined,
    fetch: fetchFn,
    sleep: () => Promise.resolve(),
  });
  return { client, calls };
}

/** A product charges answer written out by hand from the AS 4.4 shape (reference §3.6). */
function productCharges(): Record<string, unknown> {
  return {
    product_id: "product-11111111-1111-1111-1111-111111111111",
    product_type: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
    billing_day: 3,
    claimable: false,
    count: 3,
    from: "2026-10-03",
    until: "2026-11-03",
    coins: "12.7500",
    processing_charges: [{
      merchant_name: "DM",
      merchant_kind: "DATA_MANAGER",
      merchant_api_hostname: "dm.example",
      final: true,
      charge: {
        id: 7,
        sqn: 2,
        username: "ada",
        timestamp: "2026-10-05T10:00:00Z",
        coins: "10.25",
        additional_data: { job_job: "x" },
      },
    }],
    storage_charges: {
      num_items: 2,
      items: [
        { item_number: 1, date: "2026-10-03", coins: "1.5", closed: "2026-10-04T00:10:00Z" },
        { item_number: 2, date: "2026-10-04", coins: "1", current_burn_rate: "0.75" },
      ],
    },
  };
}

/** The message, fields and class of a failure expected to be a ProtocolError. */
async function protocolFailure(body: BodyInit | null, headers?: HeadersInit) {
  const { client, calls } = api(() => new Response(body, { status: 200, headers }));
  const rv = await client.getProductCharges(TOKEN, { productId: "product-1", pbp: -1 });
  assert.equal(rv.success, false, "a malformed answer is a failure");
  assert.equal(rv.httpStatusCode, 200);
  assert.equal(calls.length, 1, "a malformed answer is not retried");
  assert.ok(!rv.success && rv.error instanceof ProtocolError, "classified as ProtocolError");
  const error = rv.error as ProtocolError;
  assert.equal(error.message, rv.msg.error);
  assert.equal(error.schema, "ProductChargesGetResponse");
  assert.equal(error.status, 200);
  assert.equal(error.method, "GET");
  return { text: rv.msg.error, error };
}

const PREFIX = "getProductCharges: AS answered GET /charges/product/product-1?pbp=-1 with a " +
  "body that is not ProductChargesGetResponse: ";

Deno.test("schema: the endpoint table covers exactly the seed's methods plus getActions and getCharges", async () => {
  const seed = await Deno.readTextFile(SEED);
  const python = [...seed.matchAll(/^classmethod (\w+)\(/gm)].map((m) => m[1]);
  assert.equal(python.length, 54, "the seed lists 54 methods");
  const camel = python.map((n) => n.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()));
  const expected = camel.filter((n) => n !== "getApiUrl" && n !== "setApiUrl")
    .concat("getActions", "getCharges").sort();
  assert.equal(expected.length, 54);
  assert.deepEqual(Object.keys(ENDPOINTS).sort(), expected);
  const client = new AsApi({ env: () => undefined });
  for (const name of [...expected, "getApiUrl", "setApiUrl"]) {
    assert.equal(typeof (client as unknown as Record<string, unknown>)[name], "function", name);
  }
});

Deno.test("schema: every table entry is well formed", () => {
  for (const [name, entry] of Object.entries(ENDPOINTS) as [string, Endpoint][]) {
    assert.match(entry.route, /^(GET|POST|PUT|PATCH|DELETE) \/[\w\-/{}]*$/, name);
    assert.ok(entry.expect.length > 0, name);
    assert.match(entry.what, /^Failed /, name);
    if (entry.response === "no body") {
      assert.ok(!entry.route.startsWith("GET "), `${name}: a GET has a body`);
    } else {
      assert.ok(entry.response in RESPONSE_SCHEMAS, `${name}: ${entry.response} has a schema`);
    }
    if (entry.expect.includes(204)) assert.equal(entry.response, "no body", name);
  }
  assert.equal(ENDPOINTS.getProductCharges.what, "Failed getting product charges");
  assert.deepEqual(ENDPOINTS.addUserToUnit.expect, [200, 201]);
  assert.deepEqual(ENDPOINTS.getAsset.expect, [200, 201]);
  assert.equal(ENDPOINTS.createAsset.request, "multipart");
  assert.equal(ENDPOINTS.alterOrganisation.response, "no body");
});

/** Minimal valid arguments of every method, to see which request each one sends. */
const ARGS: Record<string, [unknown?, unknown?]> = {
  ping: [{}],
  getVersion: [{}],
  getEventStreamVersion: [{}],
  getAccount: [TOKEN],
  getMerchants: [TOKEN],
  getMerchant: [TOKEN, { merchantId: 3 }],
  getEventStream: [TOKEN],
  createEventStream: [TOKEN, {}],
  deleteEventStream: [TOKEN, { eventStreamId: 4 }],
  getActions: [TOKEN, {}],
  getOrganisations: [TOKEN, { orgName: "Acme" }],
  getOrganisation: [TOKEN, { orgId: "org-1" }],
  getDefaultOrganisation: [TOKEN],
  createOrganisation: [TOKEN, { orgName: "A", orgOwner: "b" }],
  alterOrganisation: [TOKEN, { orgId: "org-1", name: "B" }],
  deleteOrganisation: [TOKEN, { orgId: "org-1" }],
  getOrganisationUsers: [TOKEN, { orgId: "org-1" }],
  addUserToOrganisation: [TOKEN, { orgId: "org-1", username: "jo" }],
  removeUserFromOrganisation: [TOKEN, { orgId: "org-1", username: "jo" }],
  getAvailableUnits: [TOKEN],
  getUnits: [TOKEN, {}],
  getUnit: [TOKEN, { unitId: "unit-1" }],
  getOrganisationUnits: [TOKEN, { orgId: "org-1" }],
  createUnit: [TOKEN, { unitName: "U", orgId: "org-1", billingDay: 3 }],
  alterUnit: [TOKEN, { unitId: "unit-1", name: "V" }],
  deleteUnit: [TOKEN, { unitId: "unit-1" }],
  getPersonalUnit: [TOKEN],
  createPersonalUnit: [TOKEN, { billingDay: 2 }],
  deletePersonalUnit: [TOKEN],
  getUnitUsers: [TOKEN, { unitId: "unit-1" }],
  addUserToUnit: [TOKEN, { unitId: "unit-1", username: "jo" }],
  removeUserFromUnit: [TOKEN, { unitId: "unit-1", username: "jo" }],
  getAvailableProducts: [TOKEN],
  getProduct: [TOKEN, { productId: "product-1" }],
  getProductDefaultStorageCost: [TOKEN],
  getProductTypes: [TOKEN],
  getProductsForUnit: [TOKEN, { unitId: "unit-1" }],
  getProductsForOrganisation: [TOKEN, { orgId: "org-1" }],
  createProduct: [TOKEN, {
    productName: "P",
    unitId: "unit-1",
    productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
    allowance: 10,
  }],
  alterProduct: [TOKEN, { productId: "product-1", productName: "Q" }],
  deleteProduct: [TOKEN, { productId: "product-1" }],
  getProductCharges: [TOKEN, { productId: "product-1" }],
  getUnitCharges: [TOKEN, { unitId: "unit-1" }],
  getOrganisationCharges: [TOKEN, { orgId: "org-1" }],
  getCharges: [TOKEN, {}],
  getAvailableAssets: [TOKEN, {}],
  getAsset: [TOKEN, { assetId: "asset-1" }],
  createAsset: [TOKEN, { name: "a", scope: "GLOBAL", contentString: "x" }],
  alterAsset: [TOKEN, { assetId: "asset-1", description: "d" }],
  deleteAsset: [TOKEN, { assetId: "asset-1" }],
  enableAsset: [TOKEN, { assetId: "asset-1" }],
  disableAsset: [TOKEN, { assetId: "asset-1" }],
  attachAsset: [TOKEN, { assetId: "asset-1", mId: 2 }],
  detachAsset: [TOKEN, { assetId: "asset-1", mId: 2 }],
};

Deno.test("schema: each method sends the verb and path of its table entry", async () => {
  const { client, calls } = api(() => new Response(null, { status: 500 }));
  const ids: Record<string, string> = {
    merchantId: "3",
    eventStreamId: "4",
    orgId: "org-1",
    unitId: "unit-1",
    productId: "product-1",
    assetId: "asset-1",
    username: "jo",
  };
  const names = Object.keys(ENDPOINTS) as (keyof typeof ENDPOINTS)[];
  assert.deepEqual(Object.keys(ARGS).sort(), [...names].sort());
  for (const name of names) {
    calls.length = 0;
    const method = (client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
      name
    ];
    await method.apply(client, ARGS[name]);
    const [verb, template] = ENDPOINTS[name].route.split(" ");
    const path = template.replace(/\{(\w+)\}/g, (_m, k: string) => ids[k]);
    assert.ok(calls.length >= 1, `${name} sent a request`);
    assert.equal(calls[0].method, verb, name);
    assert.equal(new URL(calls[0].url).pathname, `/account-server-api${path}`, name);
    const tokenSent = calls[0].headers.get("authorization") === `Bearer ${TOKEN}`;
    assert.equal(tokenSent, !("token" in ENDPOINTS[name]), `${name} token`);
  }
});

Deno.test("schema: a valid answer passes, extra fields are kept", async () => {
  const body = productCharges();
  body.new_top_level = { anything: [1, 2] };
  const storage = body.storage_charges as { items: Record<string, unknown>[] };
  storage.items[1].burn_rate = "0.75";
  const { client } = api(() => Response.json(body));
  const rv = await client.getProductCharges(TOKEN, { productId: "product-1" });
  assert.ok(rv.success, JSON.stringify(rv.msg));
  assert.deepEqual(rv.msg, body, "every field, known or not, is in msg");
  assert.equal(rv.msg.storage_charges.items[1].current_burn_rate, "0.75");
});

Deno.test("schema: an empty 200 body is a ProtocolError, not {}", async () => {
  const { text, error } = await protocolFailure(null, { "content-type": "application/json" });
  assert.equal(text, PREFIX + "expected a JSON object, got an empty body");
  assert.equal(error.path, "");
  assert.equal(error.problem, "expected a JSON object, got an empty body");
});

Deno.test("schema: an HTML page or plain text is a ProtocolError", async () => {
  const html = "<!DOCTYPE html><html><body><h1>Login</h1><p>secret stuff</p></body></html>";
  const { text } = await protocolFailure(html, { "content-type": "text/html; charset=utf-8" });
  assert.equal(text, PREFIX + "expected a JSON object, got an HTML page (Content-Type: text/html)");
  assert.ok(!text.includes("Login"), "the body is not quoted");
  const plain = await protocolFailure("Service temporarily moved", {
    "content-type": "text/plain",
  });
  assert.equal(
    plain.text,
    PREFIX + "expected a JSON object, got plain text (Content-Type: text/plain)",
  );
});

Deno.test("schema: a missing required field names its path", async () => {
  const body = productCharges();
  delete body.storage_charges;
  const { text, error } = await protocolFailure(JSON.stringify(body));
  assert.equal(text, PREFIX + "storage_charges: expected object, got nothing");
  assert.equal(error.path, "storage_charges");
  assert.equal(error.problem, "expected object, got nothing");
});

Deno.test("schema: a field of the wrong type names its path", async () => {
  const body = productCharges();
  body.storage_charges = 42;
  const { text } = await protocolFailure(JSON.stringify(body));
  assert.equal(text, PREFIX + "storage_charges: expected object, got number");

  const array = productCharges();
  array.processing_charges = "none";
  assert.equal(
    (await protocolFailure(JSON.stringify(array))).text,
    PREFIX + "processing_charges: expected array, got string",
  );

  const root = await protocolFailure("[1, 2]", { "content-type": "application/json" });
  assert.equal(root.text, PREFIX + "expected object, got array");
});

Deno.test("schema: period bounds must be dates a report can state", async () => {
  const expected = "expected a date such as 2026-11-01 (or an ISO 8601 date-time)";
  for (const bad of ["", "undefined", "1 December 2021", "2026-11", "11/01/2026"]) {
    const body = productCharges();
    body.until = bad;
    const { text, error } = await protocolFailure(JSON.stringify(body));
    assert.equal(text, PREFIX + `until: ${expected}, got "${bad}"`, bad);
    assert.equal(error.path, "until");
  }
  const { client } = api(() => {
    const body = productCharges();
    body.from = "2026-10-03T00:00:00Z";
    body.until = "2026-11-03 00:00:00+00:00";
    return Response.json(body);
  });
  const rv = await client.getProductCharges(TOKEN, { productId: "product-1", pbp: -1 });
  assert.equal(rv.success, true, "ISO date-times are dates too");
});

Deno.test("schema: coins must be decimal strings", async () => {
  const cases: [unknown, string][] = [
    ["1e3", 'expected a decimal string such as "12.50", got "1e3"'],
    ["12,5", 'expected a decimal string such as "12.50", got "12,5"'],
    [" 1.5", 'expected a decimal string such as "12.50", got " 1.5"'],
    ["1.", 'expected a decimal string such as "12.50", got "1."'],
    [12.5, "expected string, got number"],
    [null, "expected string, got null"],
  ];
  for (const [value, problem] of cases) {
    const body = productCharges();
    const storage = body.storage_charges as { items: Record<string, unknown>[] };
    storage.items[1].coins = value;
    const { text, error } = await protocolFailure(JSON.stringify(body));
    assert.equal(text, PREFIX + `storage_charges.items[1].coins: ${problem}`, String(value));
    assert.equal(error.path, "storage_charges.items[1].coins");
  }
  const total = productCharges();
  total.coins = 12.75;
  assert.equal(
    (await protocolFailure(JSON.stringify(total))).text,
    PREFIX + "coins: expected string, got number",
  );
  const charge = productCharges();
  const processing = charge.processing_charges as { charge: Record<string, unknown> }[];
  processing[0].charge.coins = "ten";
  assert.equal(
    (await protocolFailure(JSON.stringify(charge))).text,
    PREFIX + 'processing_charges[0].charge.coins: expected a decimal string such as "12.50", ' +
      'got "ten"',
  );
});

Deno.test("schema: the coin rule agrees with Coins.parse", () => {
  const schema = RESPONSE_SCHEMAS.ChargesGetResponse;
  const accepted = ["0", "7", "-3", "+2", "12.50", "-0.3", ".5", "-.25", "123456789012345.123456"];
  const refused = ["1e3", "12,5", "1.", "", "-", "1.2.3", "0x10", "NaN", "Infinity", "1 000"];
  for (const coins of accepted) {
    const body = { coins, count: 0, summary: [], organisation_charges: [] };
    assert.ok(schema.safeParse(body).success, coins);
    assert.doesNotThrow(() => Coins.parse(coins), coins);
  }
  for (const coins of refused) {
    const body = { coins, count: 0, summary: [], organisation_charges: [] };
    assert.equal(schema.safeParse(body).success, false, coins);
    assert.throws(() => Coins.parse(coins), coins);
  }
});

Deno.test("schema: enums, integers and the billing-day range are checked", async () => {
  const type = productCharges();
  type.product_type = "DATA_MANAGER_GPU_SUBSCRIPTION";
  assert.equal(
    (await protocolFailure(JSON.stringify(type))).text,
    PREFIX + 'product_type: expected one of "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION", ' +
      '"DATA_MANAGER_STORAGE_SUBSCRIPTION", got "DATA_MANAGER_GPU_SUBSCRIPTION"',
  );
  const day = productCharges();
  day.billing_day = 0;
  assert.equal(
    (await protocolFailure(JSON.stringify(day))).text,
    PREFIX + "billing_day: expected at least 1, got 0",
  );
  const count = productCharges();
  count.count = 1.5;
  assert.equal(
    (await protocolFailure(JSON.stringify(count))).text,
    PREFIX + "count: expected integer, got 1.5",
  );
  const kind = productCharges();
  (kind.processing_charges as Record<string, unknown>[])[0].merchant_kind = "OTHER";
  assert.equal(
    (await protocolFailure(JSON.stringify(kind))).text,
    PREFIX + 'processing_charges[0].merchant_kind: expected "DATA_MANAGER", got "OTHER"',
  );
});

Deno.test("schema: unit charges paths read like products[3].charges[0].coins", async () => {
  const summary = (p: string, s: string) => [
    { type: "PROCESSING", coins: p },
    { type: "STORAGE", coins: s },
  ];
  const body = {
    caller_is_member: true,
    unit_id: "unit-1",
    owner_id: "ada",
    private: false,
    created: "2026-01-01",
    coins: "4",
    count: 4,
    billing_day: 3,
    from: "2026-10-03",
    until: "2026-11-03",
    summary: { charges: summary("2", "2") },
    products: [0, 1, 2, 3].map((i) => ({
      product_id: `product-${i}`,
      product_type: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
      charges: summary("0.5", "0.5"),
    })),
  };
  body.products[3].charges[0].coins = "0,5";
  const { client } = api(() => Response.json(body));
  const rv = await client.getUnitCharges(TOKEN, { unitId: "unit-1" });
  assert.ok(!rv.success);
  assert.equal(
    rv.msg.error,
    "getUnitCharges: AS answered GET /charges/unit/unit-1 with a body that is not " +
      "UnitChargesGetResponse: products[3].charges[0].coins: expected a decimal string such as " +
      '"12.50", got "0,5"',
  );
  assert.equal((rv.error as ProtocolError).path, "products[3].charges[0].coins");
});

/** A product listing item of either kind, written out by hand (reference §3.5). */
function listedProduct(kind: "storage" | "tier"): Record<string, unknown> {
  const org = {
    caller_is_member: true,
    id: "org-1",
    name: "Acme",
    owner_id: "ada",
    private: false,
    created: "2026-01-01",
    default_product_privacy: "DEFAULT_PRIVATE",
    users: [{ id: "ada" }],
  };
  const unit = { ...org, id: "unit-1", name: "Lab", billing_day: 3 };
  const product: Record<string, unknown> = {
    product: {
      id: `product-${kind}`,
      created: "2026-01-02",
      type: kind === "tier"
        ? "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION"
        : "DATA_MANAGER_STORAGE_SUBSCRIPTION",
    },
    organisation: org,
    unit,
    storage: {
      size: { peak: "1 GiB", current: "0 Bytes", unit_size: "1 GiB", units_used: 1 },
      coins: { used: 0.5, unit_cost: 0.5 },
    },
    coins: {
      allowance: 100,
      limit: 200,
      used: 12.5,
      at_limit: false,
      current_burn_rate: 0.5,
      billing_prediction: 20,
      billing_prediction_storage_contribution: 15,
      billing_day: 3,
      allowance_multiplier: 1,
      overspend_multiplier: 2,
      remaining_days: 10,
    },
    claimable: kind === "tier",
  };
  if (kind === "tier") product.instance = { coins: { used: 3 } };
  return product;
}

Deno.test("schema: products are checked as the variant their type names", async () => {
  const good = { count: 2, products: [listedProduct("storage"), listedProduct("tier")] };
  const ok = api(() => Response.json(good));
  const rv = await ok.client.getAvailableProducts(TOKEN);
  assert.ok(rv.success, JSON.stringify(rv.msg));
  assert.deepEqual(rv.msg, good);

  const check = async (body: unknown, expected: string) => {
    const { client } = api(() => Response.json(body));
    const bad = await client.getAvailableProducts(TOKEN);
    assert.ok(!bad.success);
    assert.equal(
      bad.msg.error,
      "getAvailableProducts: AS answered GET /product with a body that is not " +
        `ProductsGetResponse: ${expected}`,
    );
  };
  // A project tier whose instance is broken is not taken for a storage product.
  const tier = listedProduct("tier");
  tier.instance = 42;
  await check(
    { count: 1, products: [listedProduct("storage"), tier] },
    "products[1].instance: expected object, got number",
  );
  const noInstance = listedProduct("tier");
  delete noInstance.instance;
  await check(
    { count: 1, products: [noInstance] },
    "products[0].instance: expected object, got nothing",
  );
  // A storage product with a bad coins block names the block's field.
  const storage = listedProduct("storage");
  (storage.coins as Record<string, unknown>).used = "12.5";
  await check(
    { count: 1, products: [storage] },
    "products[0].coins.used: expected number, got string",
  );
  // An unknown product type.
  const odd = listedProduct("storage");
  (odd.product as Record<string, unknown>).type = "GPU";
  await check(
    { count: 1, products: [odd] },
    'products[0].product.type: expected one of "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION", ' +
      '"DATA_MANAGER_STORAGE_SUBSCRIPTION", got "GPU"',
  );
  await check({ count: 1, products: 42 }, "products: expected array, got number");
});

Deno.test("schema: messages redact tokens and never carry the whole body", async () => {
  const body = productCharges();
  body.coins = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4eXoifQ.c2lnbmF0dXJl";
  body.padding = "x".repeat(50_000);
  const { client } = api(() => Response.json(body));
  // A token where an id should be is redacted from the endpoint, too.
  const rv = await client.getProductCharges(TOKEN, { productId: TOKEN });
  assert.ok(!rv.success);
  const text = rv.msg.error;
  assert.ok(!text.includes(TOKEN), text);
  assert.ok(!text.includes("eyJzdWIi"), text);
  assert.ok(text.length < 300, `short message (${text.length} characters)`);
  assert.match(text, /^getProductCharges: AS answered GET \/charges\/product\/\[REDACTED\] with/);
  assert.ok(!JSON.stringify(rv.error).includes(TOKEN));
  assert.ok(!(rv.error as ProtocolError).url?.includes(TOKEN));
});

Deno.test("schema: endpoints without a body answer {} for nothing or JSON (Python parity)", async () => {
  const json = api(() => Response.json({ note: "newer servers may say more" }, { status: 200 }));
  assert.deepEqual(await json.client.alterUnit(TOKEN, { unitId: "u", name: "n" }), {
    success: true,
    msg: {},
    httpStatusCode: 200,
  });
  const added = api(() => new Response(null, { status: 201 }));
  const rv = await added.client.addUserToUnit(TOKEN, { unitId: "u", username: "jo" });
  assert.deepEqual(rv, { success: true, msg: {}, httpStatusCode: 201 });
});

Deno.test("schema: a sign-in page answered 200 to a no-body endpoint is not success", async () => {
  const page = api(() =>
    new Response("<!doctype html><title>Sign in</title>", {
      status: 200,
      headers: { "content-type": "text/html" },
    })
  );
  const rv = await page.client.addUserToUnit(TOKEN, { unitId: "unit-1", username: "jo" });
  assert.equal(rv.success, false);
  assert.ok(rv.error instanceof ProtocolError);
  assert.equal(
    rv.msg.error,
    "addUserToUnit: AS answered PUT /unit/unit-1/user/jo with a body where none is expected: " +
      "expected no body, got an HTML page (Content-Type: text/html)",
  );
  const text = api(() => new Response("OK, done", { status: 200 }));
  const altered = await text.client.alterUnit(TOKEN, { unitId: "u", name: "n" });
  assert.equal(altered.success, false);
  assert.match(altered.msg.error, /expected no body, got plain text/);
});

Deno.test("schema: formatPath writes JSON paths", () => {
  assert.equal(formatPath([]), "");
  assert.equal(formatPath(["products", 3, "charges", 0, "coins"]), "products[3].charges[0].coins");
  assert.equal(formatPath([0, "a"]), "[0].a");
  assert.equal(formatPath(["additional_data", "peak bytes"]), 'additional_data["peak bytes"]');
});
