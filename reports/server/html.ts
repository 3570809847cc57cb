/**
 * Server-side HTML for the report server: Hono's `html`/`raw` helpers (hono/html), the page
 * layout and its stylesheet
 * (served from `/assets/style.css`; no external assets, no scripts, works without
 * JavaScript).
 *
 * @module
 */

import { html as honoHtml, raw as honoRaw } from "hono/html";
import { escapeToBuffer, type HtmlEscapedString } from "hono/utils/html";

/** Escapes text for HTML content and quoted attribute values (Hono's escaping). */
export function escapeHtml(text: unknown): string {
  const buffer: [string] = [""];
  escapeToBuffer(String(text ?? ""), buffer);
  return buffer[0];
}

/** A piece of HTML that is already safe (escaped or built from constants): Hono's own type. */
export type Html = HtmlEscapedString;

/** Marks `text` as safe HTML (Hono's `raw`). Only pass markup built with {@link html}. */
export function raw(text: string): Html {
  return honoRaw(text);
}

/**
 * Hono's `html` tagged template: escapes every interpolated value except {@link Html} pieces
 * and arrays of them; `false`, `null` and `undefined` render as nothing. Synchronous only.
 *
 * @example
 * ```ts
 * html`<p>${name}</p>`; // name is escaped
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const out = honoHtml(strings, ...values);
  if (out instanceof Promise) throw new TypeError("html: asynchronous values are not supported");
  return out;
}

/** Options of {@link layout}. */
export interface LayoutOptions {
  /** Page title (without the site name). */
  title: string;
  /** Which nav entry is current. */
  nav?: "index" | "archive" | "none";
  /** Shows the SANDBOX DATA banner. */
  sandbox?: boolean;
  /** Where the data comes from, shown in the footer. */
  sourceUrl?: string;
}

/** Wraps `body` in the site's page layout. */
export function layout(body: Html, options: LayoutOptions): string {
  const nav = options.nav ?? "none";
  const current = (key: string) => (nav === key ? raw(` aria-current="page"`) : raw(""));
  return "<!doctype html>\n" + html`
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${options.title} · Squonk2 reports</title>
        <link rel="stylesheet" href="/assets/style.css">
        <link rel="icon" href="data:,">
      </head>
      <body>
    <header class="top">
      <a class="brand" href="/">Squonk2 <span>billing reports</span></a>
      <nav><a href="/"${current("index")}>Organisations</a><a href="/archive"${current(
        "archive",
      )}>Archive</a></nav>
    </header>
    ${options.sandbox ? html`<p class="sandbox">SANDBOX DATA: not real charges</p>` : ""}
    <main>
    ${body}
    </main>
    <footer>${options.sourceUrl
      ? html`
        Data from <code>${options.sourceUrl}</code>.
      `
      : ""}Coins are summed exactly; periods run from the first date (incl.) to the last (excl.), UTC.</footer>
      </body>
    </html>
  `.toString();
}

/** The stylesheet of every page. */
export const STYLE_CSS =
  `:root{--ink:#1d2733;--muted:#5b6b7c;--line:#dfe5ec;--bg:#f5f7fa;--card:#fff;--accent:#1f6feb;--accent-ink:#fff;--warn:#9a3412;--warn-bg:#fff1e6}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted)}
.top{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding:.8rem 2rem;background:#14202e;color:#fff}
.brand{color:#fff;font-weight:700;font-size:1.1rem}.brand span{font-weight:400;opacity:.75}
.top nav a{color:#cfd8e3;margin-left:1.2rem}.top nav a[aria-current]{color:#fff;font-weight:600;border-bottom:2px solid #fff}
.sandbox{margin:0;padding:.4rem 2rem;background:var(--warn-bg);color:var(--warn);font-weight:700;letter-spacing:.04em;border-bottom:1px solid #fed7aa}
main{max-width:1180px;margin:0 auto;padding:1.5rem 2rem 3rem}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.2rem;margin:0 0 .4rem}h3{font-size:1rem;margin:1.2rem 0 .4rem;color:var(--muted)}
.lead{color:var(--muted);margin-top:-.6rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1.1rem 1.3rem;margin:0 0 1.2rem;box-shadow:0 1px 2px rgba(20,32,46,.04)}
.card header{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.6rem}
.picker{display:flex;flex-wrap:wrap;align-items:center;gap:.6rem;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.8rem 1.1rem;margin-bottom:1.2rem}
.picker label{font-weight:600}
select,button{font:inherit;padding:.35rem .6rem;border:1px solid var(--line);border-radius:6px;background:#fff;color:var(--ink)}
button{background:var(--accent);color:var(--accent-ink);border-color:var(--accent);cursor:pointer}
.hint{color:var(--muted);font-size:.9rem}
table{width:100%;border-collapse:collapse;font-size:.93rem}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.82rem;text-transform:uppercase;letter-spacing:.03em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.dl{display:inline-flex;gap:.35rem;white-space:nowrap}
.dl a{display:inline-block;padding:.1rem .5rem;border:1px solid var(--line);border-radius:999px;font-size:.82rem;font-weight:600}
.dl a:hover{background:var(--accent);color:#fff;border-color:var(--accent);text-decoration:none}
.tag{display:inline-block;padding:0 .45rem;border-radius:999px;background:#eef2f7;color:var(--muted);font-size:.78rem}
.tag.warn{background:var(--warn-bg);color:var(--warn)}
.chart{width:100%;height:auto;max-width:1100px}
.empty{color:var(--muted);font-style:italic}
.error{border-left:4px solid #c2410c}
.error table{margin:.6rem 0}
.detail{color:var(--muted);overflow-wrap:anywhere}
footer{max-width:1180px;margin:0 auto;padding:0 2rem 2rem;color:var(--muted);font-size:.82rem}
code{overflow-wrap:anywhere}
.card header p,.picker p{margin:0}
.picker select{flex:1 1 22rem;min-width:0;max-width:100%}
.picker .hint{flex-basis:100%}
.note{background:#eef4ff;border:1px solid #c7dafc;border-radius:8px;padding:.5rem .8rem;margin:0 0 1rem}
.values{margin-top:.6rem}.values summary{cursor:pointer;font-weight:600;color:var(--muted)}
.values tbody th{text-transform:none;letter-spacing:0;font-size:.9rem;color:var(--ink);font-weight:600}
.archive-group h2{display:flex;flex-wrap:wrap;gap:.2rem .6rem;align-items:baseline}
.archive-group h3{margin-top:1rem;color:var(--ink)}
.files .file{display:inline-block;margin-right:1rem;white-space:nowrap}
@media (max-width:700px){
.top{padding:.6rem 1rem;flex-wrap:wrap}.top nav a:first-child{margin-left:0}
.sandbox{padding:.4rem 1rem}
main{padding:1rem .75rem 2rem}
footer{padding:0 .75rem 1.5rem}
.card{padding:.9rem .8rem}
.picker{padding:.7rem .8rem}.picker select{flex-basis:100%}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack th{display:block;width:100%}
table.stack tr{border-bottom:1px solid var(--line);padding:.5rem 0}
table.stack td,table.stack th{border:0;padding:.1rem 0;text-align:left}
table.stack td[data-label]::before{content:attr(data-label);display:block;font-size:.72rem;font-weight:600;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
table.stack td.num[data-label]{display:flex;justify-content:space-between;gap:1rem}
table.stack td.num[data-label]::before{display:inline;font-size:.85rem;text-transform:none;letter-spacing:0;font-weight:400;overflow-wrap:anywhere}
}
`;
