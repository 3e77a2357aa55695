/**
 * The Viewer tab's "IBSI features" panel: IBSI-compliant features (src/ibsi) of the open case's
 * image and reader-1 mask, with one of the ready parameter files of ibsi/ or the user's own YAML,
 * computed on a worker of its own (the page stays responsive). The table shows every feature tag,
 * aggregation code and value (an undefined value blank, with its reason); "Download CSV" writes the
 * bytes `radscore extract IMAGE MASK -p CONFIG --standard ibsi -f csv` writes for the same inputs.
 * Errors (a setting the parser rejects, a mask without the ROI) are messages in the panel.
 */
import type { IbsiFeatureValue } from "../../../src/ibsi/types.js";
import { workerUrl } from "../study/pool.js";
import { download, h, replace } from "../ui/dom.js";
import { fileStem } from "../viewer/files.js";
import type { OpenCase } from "../viewer/types.js";
import type { IbsiJob, IbsiReply } from "../workers/ibsi-protocol.js";
import { READY_IBSI_CONFIGS } from "./configs.js";

/** The panel's state, mirrored on its root's data-state for tests and styles. */
type PanelState = "idle" | "running" | "done" | "error";

interface ChosenConfig {
  name: string;
  text: string;
}

/** One IBSI extraction on the panel's worker (created on first use, reused after). */
class IbsiRunner {
  #worker: Worker | null = null;
  #next = 1;
  #pending = new Map<number, (reply: IbsiReply) => void>();

  run(job: Omit<IbsiJob, "id">): Promise<IbsiReply> {
    if (!this.#worker) {
      const worker = new Worker(workerUrl("ibsi-worker.js"), { type: "module" });
      worker.addEventListener("message", (event: MessageEvent<IbsiReply>) => {
        const resolve = this.#pending.get(event.data.id);
        this.#pending.delete(event.data.id);
        resolve?.(event.data);
      });
      // A worker that fails to load or crashes answers every job still waiting with the failure.
      worker.addEventListener("error", (event: ErrorEvent) => {
        const error = `the IBSI worker failed: ${event.message || "it could not start"}`;
        for (const [id, resolve] of this.#pending) resolve({ id, ok: false, error });
        this.#pending.clear();
        this.#worker = null;
      });
      this.#worker = worker;
    }
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#worker!.postMessage({ ...job, id } satisfies IbsiJob);
    });
  }
}

function valueText(f: IbsiFeatureValue): string {
  return Number.isFinite(f.value) ? String(f.value) : "";
}

function resultTable(features: readonly IbsiFeatureValue[]): HTMLTableElement {
  return h(
    "table",
    { class: "ibsi-table", "data-role": "ibsi-table" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("th", null, "Feature tag"),
        h("th", null, "Aggregation"),
        h("th", null, "Value"),
      ),
    ),
    h(
      "tbody",
      null,
      features.map((f) =>
        h(
          "tr",
          Number.isFinite(f.value) ? null : { class: "ibsi-undefined" },
          h("td", null, f.tag),
          h("td", null, f.aggregation),
          h(
            "td",
            { class: "ibsi-value" },
            valueText(f),
            Number.isFinite(f.value)
              ? null
              : h("span", { class: "muted" }, `undefined for this ROI: ${f.reason ?? "no value"}`),
          ),
        ),
      ),
    ),
  );
}

/** Mounts the panel into `root`; `openCase` answers the viewer's open case at the time of a run. */
export function mountIbsiPanel(root: HTMLElement, openCase: () => OpenCase | null): void {
  const runner = new IbsiRunner();
  const own: ChosenConfig[] = [];
  const select = h(
    "select",
    { "data-role": "ibsi-config", "aria-label": "IBSI parameter file" },
    READY_IBSI_CONFIGS.map((c) => h("option", { value: c.name }, `${c.title} (ibsi/${c.name})`)),
  );
  const fileInput = h("input", {
    type: "file",
    accept: ".yaml,.yml,text/yaml",
    "data-role": "ibsi-config-file",
    "aria-label": "Your own IBSI parameter file",
  });
  const runButton = h("button", { class: "primary", "data-action": "ibsi-run" }, "Extract");
  const status = h("span", { class: "muted", role: "status", "data-role": "ibsi-status" });
  const error = h("div", {
    class: "message error",
    role: "alert",
    "data-role": "ibsi-error",
    hidden: true,
  });
  const result = h("div", { "data-role": "ibsi-result", hidden: true });

  const setState = (state: PanelState, text: string) => {
    root.dataset["state"] = state;
    status.textContent = text;
    runButton.disabled = state === "running";
  };
  const showError = (text: string) => {
    error.textContent = text;
    error.hidden = false;
    setState("error", "");
  };

  const chosen = (): ChosenConfig => {
    const ready = READY_IBSI_CONFIGS.find((c) => c.name === select.value);
    if (ready) return { name: `ibsi/${ready.name}`, text: ready.text };
    const mine = own.find((c) => `own:${c.name}` === select.value);
    if (!mine) throw new Error("choose an IBSI parameter file");
    return mine;
  };

  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    const config = { name: file.name, text: await file.text() };
    const at = own.findIndex((c) => c.name === config.name);
    if (at >= 0) own[at] = config;
    else {
      own.push(config);
      select.append(h("option", { value: `own:${config.name}` }, `${config.name} (your file)`));
    }
    select.value = `own:${config.name}`;
  });

  runButton.addEventListener("click", async () => {
    error.hidden = true;
    result.hidden = true;
    const c = openCase();
    if (!c) return showError("Open a case in the viewer first.");
    const mask = c.masks[1];
    if (!mask) return showError(`${c.title} has no reader 1 mask.`);
    let config: ChosenConfig;
    try {
      config = chosen();
    } catch (e) {
      return showError(e instanceof Error ? e.message : String(e));
    }
    setState("running", `running ${config.name} on ${c.title}…`);
    const started = performance.now();
    let reply: IbsiReply;
    try {
      reply = await runner.run({
        image: c.image,
        mask,
        configText: config.text,
        configName: config.name,
      });
    } catch (e) {
      // postMessage itself can fail (a volume the browser cannot copy): a message, not a stuck run.
      reply = { id: 0, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    if (!reply.ok) return showError(`${c.title}, ${config.name}: ${reply.error}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const undefinedCount = reply.features.filter((f) => !Number.isFinite(f.value)).length;
    const csvName = `${fileStem(c.title)}_ibsi_${fileStem(config.name.replace(/^.*\/|\.ya?ml$/g, ""))}.csv`;
    replace(
      result,
      h(
        "div",
        { class: "row" },
        h(
          "span",
          null,
          `${c.title}, reader 1, ${config.name}: ${reply.features.length} values` +
            (undefinedCount > 0 ? ` (${undefinedCount} undefined for this ROI)` : ""),
        ),
        h(
          "button",
          {
            "data-action": "ibsi-download",
            onclick: () => download(csvName, reply.csv, "text/csv"),
          },
          "Download CSV",
        ),
      ),
      resultTable(reply.features),
    );
    result.hidden = false;
    setState("done", `done in ${seconds} s`);
  });

  root.classList.add("ibsi-panel");
  replace(
    root,
    h("h2", null, "IBSI features"),
    h(
      "p",
      { class: "muted" },
      "IBSI-compliant features of the open case's image and reader 1 mask, as ",
      h("code", null, "radscore extract IMAGE MASK -p CONFIG --standard ibsi"),
      " computes them (docs/ibsi-mode.md).",
    ),
    h(
      "div",
      { class: "row" },
      h("label", null, "Parameter file ", select),
      h("label", null, "or your own YAML ", fileInput),
      runButton,
      status,
    ),
    error,
    result,
  );
  setState("idle", "");
}
