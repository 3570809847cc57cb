/**
 * The columns of the FOCUS export (FinOps Open Cost and Usage Specification 1.2): how each
 * charge row maps to every mandatory FOCUS column, a few conditional and recommended ones,
 * and `x_` custom columns for what FOCUS has no column for.
 *
 * Mapping: organisation → BillingAccountId/Name; unit → SubAccountId/Name; product →
 * ResourceId/ResourceName/ResourceType; charge type → ServiceCategory (`Compute` for
 * processing, `Storage` for storage) and ServiceSubcategory (`Other (Compute)`,
 * `Other (Storage)`); merchant → ServiceName (processing); the row's billing period →
 * BillingPeriodStart/End; a storage item's day, or a processing charge's job time (start to
 * close) → ChargePeriodStart/End; ChargeCategory `Usage`, ChargeClass null,
 * ChargeFrequency `Usage-Based`.
 *
 * Money: FOCUS requires BillingCurrency to be a national currency (ISO 4217). A priced row
 * (`--rates`) is billed in its rate's currency: BilledCost = EffectiveCost = ListCost =
 * ContractedCost = the row's amount, rounded half-to-even to the currency's minor unit, and
 * the custom x_PricePerCoin = its price per coin. ListUnitPrice is left out: FOCUS wants
 * ListUnitPrice × PricingQuantity to equal ListCost exactly, and the costs are rounded per
 * row. A row without a price is billed in `XXX`, the ISO 4217 code for "no currency
 * involved", and its costs are its coins (x_PricePerCoin null). Coins are
 * the provider's virtual currency (a FOCUS 1.2 concept): PricingCurrency `Coins`,
 * PricingCurrencyEffectiveCost = the coins, PricingCurrencyListUnitPrice and
 * PricingCurrencyContractedUnitPrice `1`, PricingQuantity = the coins, PricingUnit `Coins`.
 *
 * Formats (FOCUS DateTimeFormat, NumericFormat, NullHandling): date-times are UTC
 * `YYYY-MM-DDTHH:mm:ssZ`; numbers plain decimals (no sign for positives, no thousands
 * separators, no exponent); nulls are empty fields. Text is written as the server sent it
 * (FOCUS StringHandling): unlike the spreadsheet CSV, nothing is prefixed against formula
 * injection, as FOCUS files are for FinOps tools.
 *
 * @module
 */

import { Coins } from "../../client/coins.ts";
import type { ChargeRow } from "../charges/model.ts";

/** The FOCUS version the export follows. */
export const FOCUS_VERSION = "1.2";

/** PricingCurrency and PricingUnit of every row: the Account Server's coins. */
export const COIN_UNIT = "Coins";

/** BillingCurrency of a row without a price: ISO 4217 "no currency involved". */
export const NO_CURRENCY = "XXX";

/** Settings of a FOCUS export that are not in the rows. */
export interface FocusContext {
  /** ProviderName. @default "Squonk2" */
  providerName: string;
  /** PublisherName. @default "Squonk2" */
  publisherName: string;
  /** InvoiceIssuerName. @default "Squonk2" */
  invoiceIssuerName: string;
  /** x_DataSource of every row: `SANDBOX` or `ACCOUNT_SERVER`. */
  dataSource: string;
}

/** One column of the FOCUS export. */
export interface FocusColumn {
  /** The FOCUS Column ID (custom columns start with `x_`). */
  id: string;
  /** Its feature level in FOCUS 1.2, or `Custom`. */
  level: "Mandatory" | "Conditional" | "Recommended" | "Custom";
  /** Its value for a row (empty string for null). */
  value: (row: ChargeRow, ctx: FocusContext) => string;
}

const cost = (row: ChargeRow) =>
  row.currency !== undefined && row.currency !== "" && row.amount !== undefined
    ? plain(row.amount)
    : plain(row.coins);
const priced = (row: ChargeRow) => row.currency !== undefined && row.currency !== "";

/** Every column, FOCUS columns in alphabetical order, then the custom ones. */
export const FOCUS_COLUMNS: readonly FocusColumn[] = [
  { id: "BilledCost", level: "Mandatory", value: cost },
  { id: "BillingAccountId", level: "Mandatory", value: (r) => r.organisationId },
  {
    id: "BillingAccountName",
    level: "Mandatory",
    value: (r) => r.organisationName || r.organisationId,
  },
  {
    id: "BillingCurrency",
    level: "Mandatory",
    value: (r) => priced(r) ? r.currency as string : NO_CURRENCY,
  },
  { id: "BillingPeriodEnd", level: "Mandatory", value: (r) => dayStart(r.periodUntil) },
  { id: "BillingPeriodStart", level: "Mandatory", value: (r) => dayStart(r.periodFrom) },
  { id: "ChargeCategory", level: "Mandatory", value: () => "Usage" },
  { id: "ChargeClass", level: "Mandatory", value: () => "" },
  { id: "ChargeDescription", level: "Mandatory", value: description },
  { id: "ChargeFrequency", level: "Recommended", value: () => "Usage-Based" },
  { id: "ChargePeriodEnd", level: "Mandatory", value: (r) => chargePeriod(r).end },
  { id: "ChargePeriodStart", level: "Mandatory", value: (r) => chargePeriod(r).start },
  { id: "ContractedCost", level: "Mandatory", value: cost },
  { id: "EffectiveCost", level: "Mandatory", value: cost },
  { id: "InvoiceIssuerName", level: "Mandatory", value: (_, c) => c.invoiceIssuerName },
  { id: "ListCost", level: "Mandatory", value: cost },
  { id: "PricingCurrency", level: "Conditional", value: () => COIN_UNIT },
  { id: "PricingCurrencyContractedUnitPrice", level: "Conditional", value: () => "1" },
  { id: "PricingCurrencyEffectiveCost", level: "Conditional", value: (r) => plain(r.coins) },
  { id: "PricingCurrencyListUnitPrice", level: "Conditional", value: () => "1" },
  { id: "PricingQuantity", level: "Mandatory", value: (r) => plain(r.coins) },
  { id: "PricingUnit", level: "Mandatory", value: () => COIN_UNIT },
  { id: "ProviderName", level: "Mandatory", value: (_, c) => c.providerName },
  { id: "PublisherName", level: "Mandatory", value: (_, c) => c.publisherName },
  { id: "ResourceId", level: "Conditional", value: (r) => r.productId },
  { id: "ResourceName", level: "Conditional", value: resourceName },
  { id: "ResourceType", level: "Conditional", value: (r) => r.productType },
  { id: "ServiceCategory", level: "Mandatory", value: (r) => serviceCategory(r) },
  { id: "ServiceName", level: "Mandatory", value: serviceName },
  {
    id: "ServiceSubcategory",
    level: "Recommended",
    value: (r) => `Other (${serviceCategory(r)})`,
  },
  { id: "SubAccountId", level: "Conditional", value: (r) => r.unitId },
  { id: "SubAccountName", level: "Conditional", value: (r) => r.unitName },
  { id: "x_ChargeId", level: "Custom", value: (r) => String(r.chargeId) },
  { id: "x_ChargeType", level: "Custom", value: (r) => r.chargeType },
  { id: "x_Coins", level: "Custom", value: (r) => plain(r.coins) },
  { id: "x_DataSource", level: "Custom", value: (_, c) => c.dataSource },
  {
    id: "x_PricePerCoin",
    level: "Custom",
    value: (r) => priced(r) ? plain(r.pricePerCoin as string) : "",
  },
  { id: "x_ProductFlavour", level: "Custom", value: (r) => r.productFlavour },
  { id: "x_Username", level: "Custom", value: (r) => r.username },
];

/** One row as FOCUS fields, in {@link FOCUS_COLUMNS} order. */
export function focusRecord(row: ChargeRow, ctx: FocusContext): string[] {
  return FOCUS_COLUMNS.map((c) => c.value(row, ctx));
}

/** A decimal string in FOCUS NumericFormat: `+1.50` → `1.50`, `-0.0` → `0.0`; exact. */
export function plain(decimal: string): string {
  return Coins.parse(decimal).toString();
}

/** `YYYY-MM-DD` as the moment its day starts, `YYYY-MM-DDT00:00:00Z`. */
export function dayStart(date: string): string {
  return `${date.slice(0, 10)}T00:00:00Z`;
}

/**
 * An ISO 8601 moment (UTC when it has no offset) as `YYYY-MM-DDTHH:mm:ssZ`: cut down to its
 * second, or with `up` raised to the next whole second when it has a fraction (an exclusive
 * end bound must not fall before the moment it bounds).
 */
export function utcSecond(text: string, up = false): string | undefined {
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) return undefined;
  const second = (up ? Math.ceil(ms / 1000) : Math.floor(ms / 1000)) * 1000;
  return `${new Date(second).toISOString().slice(0, 19)}Z`;
}

function nextDay(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The charge period of a row: a storage item's day (midnight to midnight, UTC); a
 * processing charge from its timestamp (cut to the second: the start is inclusive) to its
 * close (raised to the next whole second: the end is exclusive), or one second when it has
 * no later close (still open, or closed within the second).
 */
export function chargePeriod(row: ChargeRow): { start: string; end: string } {
  if (row.chargeType !== "PROCESSING" || /^\d{4}-\d{2}-\d{2}$/.test(row.timestamp)) {
    const day = row.timestamp.slice(0, 10);
    return { start: dayStart(day), end: dayStart(nextDay(day)) };
  }
  const start = utcSecond(row.timestamp) ?? dayStart(row.periodFrom);
  const closed = row.closed === "" ? undefined : utcSecond(row.closed, true);
  if (closed !== undefined && closed > start) return { start, end: closed };
  const oneSecond = new Date(Date.parse(start) + 1000).toISOString().slice(0, 19) + "Z";
  return { start, end: oneSecond };
}

function serviceCategory(row: ChargeRow): "Compute" | "Storage" {
  return row.chargeType === "PROCESSING" ? "Compute" : "Storage";
}

function serviceName(row: ChargeRow): string {
  if (row.chargeType === "PROCESSING") return row.merchant || "Squonk2 processing";
  return "Squonk2 storage";
}

function description(row: ChargeRow): string {
  if (row.chargeType === "PROCESSING") {
    const job = [row.jobCollection, row.jobJob].filter((p) => p !== "").join("/");
    const what = job === "" ? `Processing charge ${row.chargeId}` : `Processing: job ${job}` +
      (row.jobVersion === "" ? "" : ` ${row.jobVersion}`);
    return row.merchant === "" ? what : `${what} on ${row.merchant}`;
  }
  const flavour = row.productFlavour === "" ? "" : ` ${row.productFlavour}`;
  const product = row.productName === "" ? row.productId : row.productName;
  return `Daily storage: ${product} (${row.productType}${flavour})`;
}

/**
 * ResourceName: the product's display name; null for a product without one (FOCUS 1.2: a
 * resource with only a system-generated ResourceId must not repeat it as its name).
 */
function resourceName(row: ChargeRow): string {
  return row.productName === row.productId ? "" : row.productName;
}
