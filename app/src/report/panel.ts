/**
 * The Report tab: the study report shown in the page (the same HTML as the CLI's report.html,
 * its stylesheet scoped to the report with CSS nesting so it does not restyle the app) and the
 * downloads of every output file.
 */
import { download, h, replace } from "../ui/dom.js";

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".csv": "text/csv",
  ".json": "application/json",
};

/** The report page's <main> and its stylesheet, scoped under `.radscore-report`. */
export function reportFragment(html: string): { style: string; main: Element | null } {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const css = doc.querySelector("style")?.textContent ?? "";
  // :root / body rules apply to the report's container; html rules are dropped.
  const scoped = css
    .replace(/:root\s*\{/g, "& {")
    .replace(/(^|\})\s*html\s*\{[^}]*\}/g, "$1")
    .replace(/(^|\})\s*body\s*\{/g, "$1 & {");
  return { style: `.radscore-report {\n${scoped}\n}`, main: doc.querySelector("main") };
}

export function renderReport(root: HTMLElement, files: Record<string, string> | null): void {
  if (!files) {
    replace(
      root,
      h(
        "section",
        { class: "panel" },
        h("h2", null, "Report"),
        h("p", { class: "muted" }, "Run a study (Study tab) or the demo to see its report here."),
      ),
    );
    return;
  }
  const names = Object.keys(files).sort((a, b) =>
    a === "report.html" ? -1 : b === "report.html" ? 1 : a.localeCompare(b),
  );
  const downloads = h(
    "div",
    { class: "downloads", "data-role": "downloads" },
    names.map((name) =>
      h(
        "button",
        {
          "data-download": name,
          onclick: () =>
            download(name, files[name]!, TYPES[name.slice(name.lastIndexOf("."))] ?? "text/plain"),
        },
        `Download ${name}`,
      ),
    ),
  );
  const container = h("div", { class: "radscore-report", "data-role": "report" });
  const html = files["report.html"];
  if (html) {
    const { style, main } = reportFragment(html);
    container.append(h("style", null, style));
    if (main) container.append(document.importNode(main, true));
  } else {
    container.append(
      h("p", { class: "muted" }, "This run wrote no report (study.yaml outputs.report is false)."),
    );
  }
  replace(root, h("section", { class: "panel" }, h("h2", null, "Results"), downloads), container);
}
