/**
 * @module report/html/client/ui
 * Report layer, page code: what the HTML report does in the browser. Clicking a subnet (in the diagram or the
 * list) shows its effective routes and NSG rules (each NSG's table parsed from its own data block, `nsg-table-<n>`,
 * the first time a subnet shows it); the flow form asks the flow tester (evaluate.ts). Like the
 * tester, `startReport` is embedded by its source text, so it uses nothing from outside its body. Every text
 * from the data is put in the page with `textContent`, never as markup, so names cannot become elements.
 * The DOM is typed here by the few members used (the project compiles without the DOM library).
 */
import type { NsgTable, PageData } from "../data.js";
import type { FlowTester, PageAnswer } from "./evaluate.js";

interface UiElement {
  textContent: string | null;
  hidden: boolean;
  classList: { add(name: string): void; remove(name: string): void };
  appendChild(child: UiElement): UiElement;
  replaceChildren(...children: UiElement[]): void;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  addEventListener(type: string, listener: (event: UiEvent) => void): void;
  scrollIntoView(options?: { block?: string; behavior?: string }): void;
}

interface UiEvent {
  key?: string;
  preventDefault(): void;
}

export interface UiDocument {
  getElementById(id: string): UiElement | null;
  querySelectorAll(selector: string): ArrayLike<UiElement>;
  createElement(tag: string): UiElement;
}

/** Wires the report page: subnet details on click, the flow tester form. */
export function startReport(doc: UiDocument, data: PageData, tester: FlowTester): void {
  const tables: NsgTable[] = [];
  function nsgTable(ref: number): NsgTable {
    let t = tables[ref];
    if (!t) {
      t = JSON.parse(doc.getElementById(`nsg-table-${ref}`)?.textContent ?? "null") as NsgTable;
      tables[ref] = t;
    }
    return t;
  }
  function el(tag: string, text?: string | number | null, cls?: string): UiElement {
    const e = doc.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.setAttribute("class", cls);
    return e;
  }
  function table(head: string[], rows: (string | number | null)[][], rowClass?: (i: number) => string): UiElement {
    const t = el("table", null, "grid");
    const tr = el("tr");
    for (const h of head) tr.appendChild(el("th", h));
    t.appendChild(el("thead")).appendChild(tr);
    const body = t.appendChild(el("tbody"));
    rows.forEach((r, i) => {
      const row = body.appendChild(el("tr", null, rowClass ? rowClass(i) : undefined));
      for (const c of r) row.appendChild(el("td", c ?? "?"));
    });
    return t;
  }
  function nsgSection(title: string, ref: number | null | string): UiElement {
    const box = el("section", null, "nsg");
    if (ref === null) {
      box.appendChild(el("h4", `${title}: no NSG (all traffic passes this level)`));
      return box;
    }
    if (typeof ref === "string") {
      box.appendChild(el("h4", `${title}: ${ref}`));
      return box;
    }
    const nsg = nsgTable(ref);
    box.appendChild(el("h4", `${title}: NSG ${nsg.name}`));
    box.appendChild(el("p", nsg.where, "where"));
    box.appendChild(
      table(
        [
          "Priority",
          "Name",
          "Direction",
          "Access",
          "Protocol",
          "Source",
          "Source ports",
          "Destination",
          "Destination ports",
          "Where",
        ],
        nsg.rules.map((r) => [
          r.priority,
          r.name,
          r.direction,
          r.access,
          r.protocol,
          r.source,
          r.sourcePorts,
          r.destination,
          r.destinationPorts,
          r.where,
        ]),
        (i) => `${nsg.rules[i]!.isDefault ? "default " : ""}${nsg.rules[i]!.access.toLowerCase()}`,
      ),
    );
    return box;
  }
  function showSubnet(key: string): void {
    const subnet = data.subnets.find((s) => s.key === key);
    const panel = doc.getElementById("subnet-detail");
    if (!subnet || !panel) return;
    const items = doc.querySelectorAll("[data-subnet]");
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.getAttribute("data-subnet") === key) item.classList.add("selected");
      else item.classList.remove("selected");
    }
    const parts: UiElement[] = [el("h3", subnet.label)];
    parts.push(
      el(
        "p",
        `Address prefixes: ${subnet.prefixes.join(", ") || "(none)"}. Route table: ${subnet.routeTable ?? "none"}.`,
      ),
    );
    parts.push(el("h4", "Effective routes"));
    parts.push(
      table(
        ["Source", "State", "Address prefixes", "Next hop type", "Next hop IP", "From"],
        subnet.routes.map((i) => {
          const r = data.routeRows[i]!;
          return [r.source, r.state, r.addressPrefix.join(", "), r.nextHopType, r.nextHopIpAddress.join(", "), r.from];
        }),
      ),
    );
    const notes = el("ul", null, "notes");
    for (const n of subnet.notes) notes.appendChild(el("li", data.notes[n]));
    parts.push(notes);
    parts.push(nsgSection("Subnet", subnet.nsg));
    for (const nic of subnet.nics) parts.push(nsgSection(`NIC ${nic.name} (${nic.address})`, nic.nsg));
    panel.replaceChildren(...parts);
    panel.hidden = false;
    panel.scrollIntoView({ block: "start" });
  }
  function showAnswer(a: PageAnswer): void {
    const out = doc.getElementById("flow-result");
    if (!out) return;
    const parts: UiElement[] = [];
    if (a.problem) {
      parts.push(el("p", a.problem, "verdict problem"));
    } else {
      const head = el("p", null, `verdict ${a.verdict.toLowerCase()}`);
      head.appendChild(el("strong", a.verdict));
      if (a.ruleName) head.appendChild(el("span", `  ${a.ruleName}`));
      if (a.partial) head.appendChild(el("span", "  (partly: see the parts)"));
      parts.push(head);
      parts.push(el("p", `from ${a.from ?? "?"} to ${a.to ?? "?"}`));
      if (a.layers.length > 0)
        parts.push(
          table(
            ["Direction", "Level", "NSG", "Access", "Rule", "Priority", "Where", "Why"],
            a.layers.map((l) => [
              l.direction,
              l.scope,
              l.nsg ?? "none",
              l.evaluated ? (l.access ?? "") : "not evaluated",
              l.ruleName ?? (l.candidates ? `one of ${l.candidates.join(", ")}` : ""),
              l.priority ?? "",
              l.where ?? "",
              l.detail ?? "",
            ]),
          ),
        );
      if (a.parts && a.parts.length > 1)
        parts.push(
          table(
            ["Part", "Rule", "Addresses"],
            a.parts.map((p) => [p.verdict, p.ruleName ?? "", p.addresses.join(", ")]),
          ),
        );
      const notes = el("ul", null, "notes");
      for (const n of a.notes) notes.appendChild(el("li", n));
      parts.push(notes);
    }
    out.replaceChildren(...parts);
  }
  const subnets = doc.querySelectorAll("[data-subnet]");
  for (let i = 0; i < subnets.length; i++) {
    const item = subnets[i]!;
    const key = item.getAttribute("data-subnet") ?? "";
    item.addEventListener("click", () => showSubnet(key));
    item.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        showSubnet(key);
      }
    });
  }
  // The diagram fits the page width; this button switches to actual size (big estates) and back.
  const zoom = doc.getElementById("diagram-zoom");
  const box = doc.getElementById("diagram-box");
  let fit = true;
  zoom?.addEventListener("click", () => {
    fit = !fit;
    if (fit) box?.classList.add("fit");
    else box?.classList.remove("fit");
    zoom.textContent = fit ? "Actual size" : "Fit to width";
    zoom.setAttribute("aria-pressed", String(!fit));
  });
  const form = doc.getElementById("flow-form");
  const value = (id: string) => (doc.getElementById(id) as unknown as { value?: string } | null)?.value ?? "";
  form?.addEventListener("submit", (e) => {
    e.preventDefault();
    showAnswer(
      tester.check({
        from: value("flow-from"),
        to: value("flow-to"),
        protocol: value("flow-protocol"),
        port: value("flow-port"),
        sourcePort: value("flow-source-port"),
      }),
    );
  });
}
