// Shared set-up of the report server tests: an in-process sandbox, the real AS client and
// Keycloak token source, and the report server's Hono app on top. No tests of its own:
// the server_*_test.ts files import it.
import { AsApi } from "../client/as/mod.ts";
import { KeycloakTokenSource } from "../client/keycloak/keycloak_source.ts";
import { createJwksVerifier, createReportServer } from "../reports/server/app.ts";
import type { ReportStore } from "../reports/store/open.ts";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";

/** The shared secret the tests log in with. */
export const SECRET = "test-secret-0123456789abcdef";
/** The sandbox clock: charges fall into known periods. */
export const NOW = "2026-11-20T12:00:00Z";

export interface Fixture {
  sandbox: RunningSandbox;
  api: AsApi;
  tokens: KeycloakTokenSource;
  app: ReturnType<typeof createReportServer>;
  close(): Promise<void>;
}

export async function startFixture(
  options: { store?: ReportStore; role?: string; sizes?: Record<string, number> } = {},
): Promise<Fixture> {
  const sandbox = await startSandbox({ seed: 7, now: NOW, quiet: true, sizes: options.sizes });
  const api = new AsApi({ url: sandbox.asUrl, warn: () => {} });
  const tokens = new KeycloakTokenSource({
    keycloakUrl: sandbox.keycloakUrl,
    realm: sandbox.realm,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
  });
  const issuer = `${sandbox.keycloakUrl}/realms/${sandbox.realm}`;
  const app = createReportServer({
    api,
    tokens,
    sourceUrl: sandbox.asUrl,
    sandbox: true,
    store: options.store,
    now: () => new Date(NOW),
    auth: {
      tokens: [SECRET, "second-secret-abcdefgh"],
      oidc: {
        verifier: createJwksVerifier(issuer, { audience: sandbox.clientId }),
        role: options.role ?? "account-server-admin",
      },
    },
    log: () => {},
  });
  return { sandbox, api, tokens, app, close: () => sandbox.close() };
}

/** A password-grant access token of a sandbox demo user. */
export async function userToken(sandbox: RunningSandbox, username: string): Promise<string> {
  const user = sandbox.users.find((u) => u.username === username)!;
  const source = new KeycloakTokenSource({
    keycloakUrl: sandbox.keycloakUrl,
    realm: sandbox.realm,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    username: user.username,
    password: user.password,
  });
  return await source.getToken();
}

export const bearer = { authorization: `Bearer ${SECRET}` };

export function basic(user: string, password: string): string {
  return "Basic " + btoa(`${user}:${password}`);
}

/** Reads the CSV rows of a download (BOM stripped) as objects. */
export async function parseCsvDownload(res: Response): Promise<Record<string, string>[]> {
  const { parse } = await import("csv-parse/sync");
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes);
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

/** Reads an XLSX download with exceljs and returns the `coins_exact` cells of its Detail sheets. */
export async function xlsxCoins(bytes: Uint8Array): Promise<{ sheets: string[]; coins: string[] }> {
  const ExcelJS = (await import("exceljs")).default;
  const workbook = new ExcelJS.Workbook();
  // deno-lint-ignore no-explicit-any
  await workbook.xlsx.load(bytes as any);
  const coins: string[] = [];
  const sheets = workbook.worksheets.map((s) => s.name);
  for (const sheet of workbook.worksheets.filter((s) => s.name.startsWith("Detail"))) {
    const header: string[] = [];
    sheet.getRow(1).eachCell((cell, n) => {
      header[n] = cell.text;
    });
    const col = header.indexOf("coins_exact");
    if (col < 0) throw new Error(`No coins_exact column in ${sheet.name}`);
    sheet.eachRow((row, n) => {
      const text = row.getCell(col).text;
      if (n > 1 && text !== "") coins.push(text);
    });
  }
  return { sheets, coins };
}
