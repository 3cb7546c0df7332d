/**
 * The HTML report in a real headless Chromium (Debian's `chromium`, driven by playwright-core; never a
 * downloaded browser). The page must load with no console error and no request but the file itself, draw the
 * diagram, show a subnet's routes when clicked, answer the flow tester as the engine does, and show hostile
 * names as text without running anything. The Mermaid text is checked by Mermaid's own parser and renderer
 * in the same browser. Writes docs/report-screenshot.png (the README shows it).
 *
 * Skips, saying why, when no Chromium is installed (CI installs it: .ci/run).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { buildDiagram } from "../../src/report/diagram/graph.js";
import { layoutDiagram } from "../../src/report/diagram/layout.js";
import { printMermaid } from "../../src/report/diagram/mermaid.js";
import { printSvg } from "../../src/report/diagram/svg.js";
import type { PageAnswer } from "../../src/report/html/client/evaluate.js";
import { buildReportView } from "../../src/report/html/data.js";
import { formatHtml } from "../../src/report/html/page.js";
import { REPO_ROOT } from "../helpers/corpus.js";
import { engineSummary, flowQuestions, pageSummary } from "./flows.js";
import { EXAMPLE, engineFor, FLOW_CASES, HOSTILE, reportInputs } from "./helpers.js";

const CHROMIUM = process.env.APIM_NETCHECK_CHROMIUM ?? "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SCREENSHOT = join(REPO_ROOT, "docs/report-screenshot.png");

/** The few DOM members the page callbacks use (the project compiles without the DOM library). */
interface BrowserElement {
  tagName: string;
  type: string;
  innerHTML: string;
  innerText: string;
  textContent: string | null;
  attributes: ArrayLike<{ name: string }>;
  querySelectorAll(selector: string): ArrayLike<BrowserElement>;
}
interface BrowserWindow {
  document: { body: BrowserElement; getElementById(id: string): BrowserElement | null } & BrowserElement;
  apimNetcheck: { checkFlow(q: unknown): unknown };
  mermaid: {
    initialize(o: unknown): void;
    parse(t: string): Promise<unknown>;
    render(id: string, t: string): Promise<{ svg: string }>;
  };
}

/** A loaded report page and everything it did that it should not have. */
interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
  dialogs: string[];
}

const suite = HAS_CHROMIUM ? describe : describe.skip;
const TITLE = HAS_CHROMIUM
  ? "HTML report in headless Chromium"
  : `HTML report in headless Chromium (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`;

suite(TITLE, () => {
  let dir: string;
  let context: BrowserContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "apim-netcheck-browser-"));
    // A new, empty profile every run; playwright passes it as --user-data-dir.
    context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1440, height: 1500 },
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(file: string): Promise<Opened> {
    const url = pathToFileURL(file).href;
    const page = await context.newPage();
    const opened: Opened = { page, requests: [], errors: [], dialogs: [] };
    // Any request but the file itself is recorded and refused.
    await page.route("**/*", (route) => {
      const target = route.request().url();
      if (target === url) return route.continue();
      opened.requests.push(target);
      return route.abort();
    });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") opened.errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => opened.errors.push(`pageerror: ${e.message}`));
    page.on("dialog", (d) => {
      opened.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: "load" });
    return opened;
  }

  /** Writes the report of `inputs` as `report` would, without refusing what Azure would refuse. */
  async function writeReport(name: string, ...inputs: string[]): Promise<string> {
    const engine = engineFor(...inputs);
    const { findings, ctx } = reportInputs(engine);
    const view = buildReportView(engine, findings);
    const svg = printSvg(await layoutDiagram(view.graph), { inline: true });
    const file = join(dir, name);
    writeFileSync(file, formatHtml(findings, ctx, view, svg, { title: name }));
    return file;
  }

  it("the example's report loads offline, draws the diagram, shows routes on click and answers flows", async () => {
    const file = join(dir, "example.html");
    const io = { out: () => {}, err: () => {}, isTty: false, env: {} };
    // A relative input, as a user types it (the page shows it in its title).
    expect(await main(["report", relative(process.cwd(), EXAMPLE) || ".", "--out", file], io)).toBe(0);
    const { page, requests, errors, dialogs } = await open(file);

    expect(await page.locator("#diagram svg g.node").count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator("#diagram svg g.group").count()).toBe(3);
    expect(await page.locator("#diagram svg g.edge path").count()).toBeGreaterThanOrEqual(6);

    await page.locator('#diagram svg g[data-subnet="subnet_vnet_apim_snet_apim"]').click();
    const detail = page.locator("#subnet-detail");
    await expect.poll(() => detail.isVisible()).toBe(true);
    expect(await detail.locator("h3").textContent()).toBe("vnet-apim/snet-apim");
    const routes = await detail.locator("table").first().locator("tbody tr").allTextContents();
    expect(
      routes.some((r) => r.includes("0.0.0.0/0") && r.includes("VirtualAppliance") && r.includes("10.0.1.4")),
    ).toBe(true);
    expect(await detail.textContent()).toContain("Deny-Inbound-Default");

    await page.fill("#flow-from", "ApiManagement");
    await page.fill("#flow-to", "vnet-apim/snet-apim");
    await page.fill("#flow-port", "3443");
    await page.click("#flow-check");
    const verdict = page.locator("#flow-result .verdict");
    expect(await verdict.textContent()).toContain("Deny");
    expect(await verdict.textContent()).toContain("securityRules/Deny-Inbound-Default");

    // The top of the page: diagram, findings, the subnet's routes and rules, and the flow tester's answer.
    await page.screenshot({ path: SCREENSHOT, fullPage: true, clip: { x: 0, y: 0, width: 1440, height: 2100 } });
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it("the page's flow tester agrees with the engine in the browser", async () => {
    for (const input of [EXAMPLE, FLOW_CASES]) {
      const engine = engineFor(input);
      const file = await writeReport(`agree-${input.length}.html`, input);
      const { page, errors } = await open(file);
      const questions = flowQuestions(engine, 150, 11);
      const answers = (await page.evaluate(
        (qs) => qs.map((q) => (globalThis as unknown as BrowserWindow).apimNetcheck.checkFlow(q)),
        questions,
      )) as PageAnswer[];
      const mismatches = questions
        .map((q, i) => ({ q, expected: engineSummary(engine, q), actual: pageSummary(answers[i]!) }))
        .filter((m) => JSON.stringify(m.expected) !== JSON.stringify(m.actual));
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(errors).toEqual([]);
    }
  });

  it("a bounded page says what it left out, and answers Unknown for a VNet whose rules it does not hold", async () => {
    const engine = engineFor(EXAMPLE);
    const { findings, ctx } = reportInputs(engine);
    // Small bounds stand in for a 20,000-subnet estate: vnet-apim's rules and every finding beyond one are left out.
    const view = buildReportView(engine, findings, { bounds: { findingsPerCheck: 1, ruleBudget: 0 } });
    const svg = printSvg(await layoutDiagram(view.graph), { inline: true });
    const file = join(dir, "bounded.html");
    writeFileSync(file, formatHtml(findings, ctx, view, svg, { title: "bounded" }));
    const { page, requests, errors } = await open(file);
    expect(await page.locator("#page-summary").textContent()).toMatch(/rules of 2 of 3 VNets/);
    await page.locator('#diagram svg g[data-subnet="subnet_vnet_apim_snet_apim"]').click();
    const detail = page.locator("#subnet-detail");
    await expect.poll(() => detail.isVisible()).toBe(true);
    expect(await detail.textContent()).toContain("its rules are not in this page");
    await page.fill("#flow-from", "ApiManagement");
    await page.fill("#flow-to", "vnet-apim/snet-apim");
    await page.fill("#flow-port", "3443");
    await page.click("#flow-check");
    expect(await page.locator("#flow-result .verdict").textContent()).toContain("Unknown");
    expect(await page.locator("#flow-result").textContent()).toContain("does not hold the NSG rules");
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("hostile names show as text and run nothing", async () => {
    const file = await writeReport("hostile.html", HOSTILE);
    const { page, requests, errors, dialogs } = await open(file);
    // Click every subnet and ask a flow from each, so the script renders every name it holds.
    const subnets = page.locator("#subnets button[data-subnet]");
    for (let i = 0; i < (await subnets.count()); i++) await subnets.nth(i).click();
    await page.locator("#diagram svg g[data-subnet]").first().click();
    await page.fill("#flow-from", "ApiManagement");
    await page.fill("#flow-to", '"><img src=x onerror=alert(1)>/apim-"><img src=x onerror=alert(1)>');
    await page.fill("#flow-port", "3443");
    await page.click("#flow-check");
    await page.waitForTimeout(200);

    const dom = await page.evaluate(() => {
      const doc = (globalThis as unknown as BrowserWindow).document;
      return {
        images: doc.querySelectorAll("img").length,
        scripts: Array.from(doc.querySelectorAll("script")).map((s) => s.type || "classic"),
        svgs: doc.querySelectorAll("svg").length,
        handlers: Array.from(doc.querySelectorAll("*")).flatMap((e) =>
          Array.from(e.attributes)
            .filter((a) => a.name.startsWith("on"))
            .map((a) => `${e.tagName} ${a.name}`),
        ),
        bold: doc.querySelectorAll("b, i").length,
        // The rendered text: what a reader sees (names must appear as written, not as markup).
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here.
        text: doc.body.innerText,
      };
    });
    expect(dom.images).toBe(0);
    // The page's data, one data block per VNet (the flow tester's rules), and our one script.
    expect(dom.scripts.at(-1)).toBe("classic");
    expect(dom.scripts.length).toBeGreaterThan(2);
    expect(dom.scripts.slice(0, -1).every((t) => t === "application/json")).toBe(true);
    expect(dom.svgs).toBe(1);
    expect(dom.handlers).toEqual([]);
    expect(dom.bold).toBe(0);
    for (const name of ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<svg onload=alert(3)>"]) {
      expect(dom.text).toContain(name);
    }
    expect(await page.locator("#flow-result").textContent()).toMatch(/Allow|Deny|Unknown/);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("the Mermaid text parses and renders in Mermaid, hostile names as text", async () => {
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setContent("<!DOCTYPE html><html><body><div id='out'></div></body></html>");
    await page.addScriptTag({
      content: readFileSync(join(REPO_ROOT, "node_modules/mermaid/dist/mermaid.min.js"), "utf8"),
    });
    for (const input of [EXAMPLE, HOSTILE, FLOW_CASES]) {
      const engine = engineFor(input);
      const text = printMermaid(buildDiagram(engine.topology, reportInputs(engine).findings));
      const result = await page.evaluate(async (source) => {
        const w = globalThis as unknown as BrowserWindow;
        const m = w.mermaid;
        m.initialize({ startOnLoad: false, securityLevel: "strict" });
        try {
          await m.parse(source);
          const { svg } = await m.render(`g${Math.floor(Math.random() * 1e9)}`, source);
          const out = w.document.getElementById("out")!;
          out.innerHTML = svg;
          return {
            ok: true,
            nodes: out.querySelectorAll("g.node").length,
            images: out.querySelectorAll("img").length,
            text: out.textContent ?? "",
          };
        } catch (e) {
          return { ok: false, error: String(e) };
        }
      }, text);
      expect(result).toMatchObject({ ok: true, images: 0 });
      expect((result as { nodes: number }).nodes).toBeGreaterThan(0);
      if (input === HOSTILE) expect((result as { text: string }).text).toContain("<script>alert(1)</script>");
    }
    expect(dialogs).toEqual([]);
  });
});
