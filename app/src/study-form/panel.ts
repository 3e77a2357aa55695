/**
 * The frame both study panels share: a form next to the live validation list, re-rendered only
 * when the configuration, the manifest or the files changed, keeping the focus (and the caret) and
 * the open <details> across re-renders.
 */
import { h, replace } from "../ui/dom.js";
import type { RawStudyConfig } from "./raw.js";
import type { StudyFormHost } from "./types.js";
import { studyStatus } from "./validate.js";

export interface FormContext {
  readonly host: StudyFormHost;
  /** The current raw configuration. */
  get(): RawStudyConfig;
  /** Stores a change (host.set); `rerender` rebuilds the form (fields appear or disappear). */
  set(raw: RawStudyConfig, rerender?: boolean): void;
  /** A fresh element id of this panel. */
  id(): string;
}

export interface PanelOptions {
  role: string;
  prefix: string;
  /** The panel's heading. */
  title: string;
  /** Runs before each render (may store a change through `ctx.set(raw, false)`). */
  prepare?: (ctx: FormContext) => void;
  body: (ctx: FormContext) => Node[];
}

interface StateKey {
  raw: string;
  manifestName: string | null;
  manifestText: string | null;
  files: string;
}

/** The mounted panels: a change in one refreshes the others of the same host (debounced). */
const mounted = new Set<{ host: StudyFormHost; refresh(): void }>();
const SIBLING_DELAY_MS = 150;

function sameKey(a: StateKey | null, b: StateKey): boolean {
  return (
    a !== null &&
    a.raw === b.raw &&
    a.manifestName === b.manifestName &&
    a.manifestText === b.manifestText &&
    a.files === b.files
  );
}

/** The validation list: the CLI's messages, missing files, or a green "Ready" line. */
export function renderValidation(list: HTMLUListElement, host: StudyFormHost): void {
  const manifest = host.manifest();
  const status = studyStatus(host.get(), manifest, host.files());
  const items: HTMLLIElement[] = [
    ...status.messages.map((m) => h("li", { class: "sf-error" }, m)),
    ...status.missing.map((m) => h("li", { class: "sf-missing" }, m)),
  ];
  if (!manifest)
    items.push(
      h(
        "li",
        { class: "sf-note" },
        "Open the cohort CSV (cohort.manifest) to check it against the configuration.",
      ),
    );
  if (status.ready) items.push(h("li", { class: "sf-ready", "data-state": "ready" }, "Ready"));
  list.dataset.state = status.ready ? "ready" : "invalid";
  replace(list, ...items);
}

export function createPanel(
  root: HTMLElement,
  host: StudyFormHost,
  options: PanelOptions,
): { refresh(): void; render(): void } {
  root.dataset.role = options.role;
  root.classList.add("sf-panel");
  const main = h("div", { class: "sf-main" });
  const list = h("ul", {
    "data-role": "validation",
    class: "sf-validation",
    "aria-live": "polite",
  });
  const side = h("aside", { class: "sf-side" }, h("h3", null, "Checks"), list);
  replace(root, h("h2", null, options.title), h("div", { class: "sf-layout" }, main, side));

  let last: StateKey | null = null;
  let rendering = false;
  let counter = 0;
  let siblingTimer: ReturnType<typeof setTimeout> | undefined;
  const self = { host, refresh: () => refresh() };
  mounted.add(self);
  const refreshSiblings = () => {
    clearTimeout(siblingTimer);
    siblingTimer = setTimeout(() => {
      for (const p of mounted) if (p !== self && p.host === host) p.refresh();
    }, SIBLING_DELAY_MS);
  };
  const keyNow = (): StateKey => {
    const m = host.manifest();
    return {
      raw: JSON.stringify(host.get()),
      manifestName: m?.name ?? null,
      manifestText: m?.text ?? null,
      files: host.files().join("\n"),
    };
  };

  const ctx: FormContext = {
    host,
    get: () => host.get(),
    set(raw, rerender = false) {
      // Remember the state first: a host that refreshes on set finds nothing changed.
      const m = host.manifest();
      last = {
        raw: JSON.stringify(raw),
        manifestName: m?.name ?? null,
        manifestText: m?.text ?? null,
        files: host.files().join("\n"),
      };
      host.set(raw);
      if (rerender && !rendering) render();
      else renderValidation(list, host);
      refreshSiblings();
    },
    id: () => `${options.prefix}-${++counter}`,
  };

  function render(): void {
    if (rendering) return;
    rendering = true;
    try {
      options.prepare?.(ctx);
      // Keep the focused control (by data-path), its caret and the open <details>.
      const active = document.activeElement;
      const focusPath =
        active instanceof HTMLElement && main.contains(active) ? active.dataset.path : undefined;
      const caret =
        active instanceof HTMLInputElement && active.type === "text"
          ? [active.selectionStart, active.selectionEnd]
          : null;
      const open = new Set(
        [...main.querySelectorAll("details[data-key]")]
          .filter((d) => (d as HTMLDetailsElement).open)
          .map((d) => d.getAttribute("data-key")),
      );
      counter = 0;
      replace(main, ...options.body(ctx));
      for (const d of main.querySelectorAll("details[data-key]"))
        if (open.has(d.getAttribute("data-key"))) (d as HTMLDetailsElement).open = true;
      if (focusPath !== undefined) {
        const el = [...main.querySelectorAll<HTMLElement>("[data-path]")].find(
          (e) => e.dataset.path === focusPath,
        );
        el?.focus();
        if (el instanceof HTMLInputElement && caret && el.type === "text") {
          try {
            el.setSelectionRange(caret[0], caret[1]);
          } catch {
            // not a text control
          }
        }
      }
      last = keyNow();
      renderValidation(list, host);
    } finally {
      rendering = false;
    }
  }

  function refresh(): void {
    if (rendering) return;
    if (!sameKey(last, keyNow())) render();
  }

  return { render, refresh };
}
