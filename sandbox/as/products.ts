/**
 * Product routes (reference §2.5): list (all visible, per unit, per organisation), get,
 * create in a unit, patch and delete. Body rules are in `product_rules.ts`.
 *
 * Choices: products created through the API start with no charges (the invented history
 * belongs to demo products only); a claimed product cannot be deleted (400: delete the
 * Data Manager project first); deleting a product forgets its charges.
 *
 * @module
 */

import type { Hono } from "hono";
import type { ProductRecord, SandboxState } from "../state.ts";
import { createAccess } from "./access.ts";
import {
  type AsContext,
  type AsEnv,
  badRequest,
  empty,
  principalOf,
  readJsonObject,
} from "./http.ts";
import { checkNewProduct, checkProductPatch } from "./product_rules.ts";
import { productView } from "./product_view.ts";

/** Registers the product routes on `app`. */
export function registerProductRoutes(app: Hono<AsEnv>, state: SandboxState): void {
  const access = (c: AsContext) => createAccess(state, principalOf(c));
  const list = (c: AsContext, products: ProductRecord[]) => {
    const a = access(c);
    const visible = products.filter((p) => a.canSeeUnit(state.units.get(p.unitId)!));
    return c.json({ count: visible.length, products: visible.map((p) => productView(p, a)) });
  };

  app.get("/product", (c) => list(c, [...state.products.values()]));

  app.get("/product/unit/:id", (c) => {
    const unit = access(c).unit(c.req.param("id"));
    return list(c, state.productsOf(unit.id));
  });

  app.get("/product/organisation/:id", (c) => {
    const org = access(c).org(c.req.param("id"));
    return list(c, state.unitsOf(org.id).flatMap((u) => state.productsOf(u.id)));
  });

  app.get("/product/:id", (c) => {
    const a = access(c);
    return c.json({ product: productView(a.product(c.req.param("id")), a) });
  });

  app.post("/product/unit/:id", async (c) => {
    const a = access(c);
    const unit = a.unit(c.req.param("id"));
    const spec = checkNewProduct(await readJsonObject(c), { unit, principal: a.principal });
    const now = state.now();
    const product: ProductRecord = {
      id: state.newId("product"),
      serial: state.newProductSerial(),
      unitId: unit.id,
      ...spec,
      created: state.nowIso(),
      chargesFrom: now,
      hasDemoCharges: false,
      chargeUsers: [a.principal.username],
      baseBytes: 0,
    };
    state.products.set(product.id, product);
    state.recordAction("PRODUCT_CREATED", {
      fields: { name: spec.name, type: spec.type },
      productId: product.id,
      unitId: unit.id,
    });
    return c.json({ id: product.id }, 201);
  });

  app.patch("/product/:id", async (c) => {
    const product = access(c).product(c.req.param("id"));
    const changes = checkProductPatch(await readJsonObject(c), product);
    Object.assign(product, changes);
    return empty(200);
  });

  app.delete("/product/:id", (c) => {
    const product = access(c).product(c.req.param("id"));
    if (product.claim) {
      throw badRequest(
        `Product "${product.id}" is claimed by "${product.claim.id}": delete that Data Manager project first`,
      );
    }
    state.products.delete(product.id);
    state.recordAction("PRODUCT_DELETED", {
      fields: { name: product.name },
      productId: product.id,
      unitId: product.unitId,
    });
    return empty(204);
  });
}
