/**
 * radscore in the browser: the page shell (tabs Data, Viewer, Study, Report, Nomogram), the
 * workspace kept in IndexedDB, and the `?demo=1&seed=N` contract: generate the demo cohort and run
 * the whole study without interaction; `document.body.dataset.state` becomes `done` (or `error`,
 * with the message in `data-error` and on the page). Everything runs on this machine: the page
 * talks to its own origin only (see the Content-Security-Policy in index.html).
 */

import yaml from "js-yaml";
import type { Volume } from "../../src/image/volume.js";
import { validateStudyConfig } from "../../src/study/config.js";
import { type DemoSequence, generateDemoImages } from "../../src/study/demo-cohort.js";
import { planDemoCohort } from "../../src/study/demo-study.js";
import { dicomChoiceOf } from "../../src/study/extraction-plan.js";
import { parseFrozenModel } from "../../src/study/frozen-model.js";
import { listCases } from "./data/cases.js";
import { DEFAULT_DEMO_SEED, demoStudy } from "./data/demo.js";
import {
  type FileSet,
  filesFromDrop,
  filesFromInput,
  hasDirectoryPicker,
  pickFolder,
  resolvePath,
} from "./data/files.js";
import { folderSource } from "./data/folder-source.js";
import { bytesOf, readImageSpec, readMaskSpec } from "./data/read-inputs.js";
import { mountNomogram } from "./nomogram/index.js";
import { renderReport } from "./report/panel.js";
import {
  clearWorkspace,
  emptyWorkspace,
  loadFiles,
  loadMasks,
  loadWorkspace,
  saveFiles,
  saveMask,
  saveWorkspace,
  type WorkspaceRecord,
} from "./state/workspace.js";
import { CancelledError, runExtractionJobs, runVoxelMap } from "./study/pool.js";
import {
  drawnMaskKey,
  drawnMaskSpec,
  runStudy,
  type StudySource,
  sequenceParamsText,
} from "./study/run.js";
import { mountMapping, mountStudyForm } from "./study-form/index.js";
import { h, replace } from "./ui/dom.js";
import { mountIbsiPanel } from "./ibsi/panel.js";
import { type CaseRef, type LoadedCase, mountViewer } from "./viewer/index.js";
import type { MaskSpec } from "./workers/protocol.js";

type Tab = "data" | "viewer" | "study" | "report" | "nomogram";
const TABS: { id: Tab; title: string }[] = [
  { id: "data", title: "Data" },
  { id: "viewer", title: "Viewer" },
  { id: "study", title: "Study" },
  { id: "report", title: "Report" },
  { id: "nomogram", title: "Nomogram" },
];

const state: {
  workspace: WorkspaceRecord;
  files: FileSet;
  masks: Map<string, Volume<Uint8Array>>;
  running: AbortController | null;
} = {
  workspace: emptyWorkspace(),
  files: new Map(),
  masks: new Map(),
  running: null,
};

const banner = h("div", {
  class: "message error",
  role: "alert",
  "data-role": "error",
  hidden: true,
});
const panels = Object.fromEntries(
  TABS.map((t) => [t.id, h("div", { "data-panel": t.id, hidden: true })]),
) as Record<Tab, HTMLDivElement>;
const tabButtons = TABS.map((t) =>
  h(
    "button",
    { role: "tab", "data-tab": t.id, "aria-selected": "false", onclick: () => show(t.id) },
    t.title,
  ),
);

function show(tab: Tab): void {
  for (const t of TABS) panels[t.id].hidden = t.id !== tab;
  for (const b of tabButtons) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  if (location.hash !== `#${tab}`) history.replaceState(null, "", `${location.search}#${tab}`);
  if (tab === "viewer") viewer.refresh();
  if (tab === "nomogram") nomogram.refresh();
  if (tab === "study") {
    mapping.refresh();
    studyForm.refresh();
  }
}

/** Shows an error on the page (never a dead page). */
function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  banner.textContent = message;
  banner.hidden = false;
  console.error(error);
}
function clearError(): void {
  banner.hidden = true;
}

let saving: ReturnType<typeof setTimeout> | null = null;
function persist(): void {
  if (saving) clearTimeout(saving);
  saving = setTimeout(() => {
    saving = null;
    saveWorkspace(state.workspace).catch(showError);
  }, 300);
}

// ---------------------------------------------------------------------------------------------
// Data sources

function demoSeed(): number | null {
  return state.workspace.source?.kind === "demo" ? state.workspace.source.seed : null;
}

function currentSource(): StudySource {
  const seed = demoSeed();
  if (seed !== null) return demoStudy(seed).source;
  const manifest = state.workspace.manifest;
  if (!manifest) throw new Error("open a folder with a cohort CSV first (Data tab)");
  return folderSource(state.files, manifest.name, state.workspace.configName);
}

async function useDemo(seed: number): Promise<void> {
  const demo = demoStudy(seed);
  state.workspace = {
    ...emptyWorkspace(),
    source: { kind: "demo", seed },
    configRaw: structuredClone(demo.configRaw),
    manifest: demo.manifest,
    results: null,
    updatedAt: "",
  };
  state.files = new Map();
  await saveFiles(state.files);
  await saveWorkspace(state.workspace);
  refreshAll();
}

async function useFolder(name: string, files: FileSet): Promise<void> {
  if (files.size === 0) throw new Error(`the folder '${name}' has no files`);
  state.files = files;
  const paths = [...files.keys()].sort();
  const csvs = paths.filter((p) => p.toLowerCase().endsWith(".csv"));
  const yamls = paths.filter((p) => /\.ya?ml$/i.test(p));
  let configRaw: Record<string, unknown> | null = null;
  const studyYaml =
    yamls.find((p) => /(^|\/)study\.ya?ml$/i.test(p)) ??
    yamls.find((p) => /study[^/]*\.ya?ml$/i.test(p));
  if (studyYaml) {
    const raw = yaml.load(await files.get(studyYaml)!.text());
    if (raw && typeof raw === "object") configRaw = raw as Record<string, unknown>;
  }
  const manifestPath =
    (configRaw && typeof (configRaw.cohort as { manifest?: unknown })?.manifest === "string"
      ? resolvePath(studyYaml ?? "", (configRaw.cohort as { manifest: string }).manifest)
      : null) ??
    csvs.find((p) => /manifest|cohort|cases|patients/i.test(p)) ??
    csvs[0] ??
    null;
  const manifestFile = manifestPath ? files.get(manifestPath) : undefined;
  if (manifestPath && !manifestFile)
    throw new Error(`study.yaml names the manifest '${manifestPath}', which is not in the folder`);
  const manifest = manifestFile ? { name: manifestPath!, text: await manifestFile.text() } : null;
  if (configRaw && manifest) {
    configRaw = {
      ...configRaw,
      cohort: { ...(configRaw.cohort as object), manifest: manifest.name },
    };
  }
  state.workspace = {
    ...emptyWorkspace(),
    source: { kind: "folder", name },
    configName: studyYaml ?? "study.yaml",
    configRaw: configRaw ?? (manifest ? { cohort: { manifest: manifest.name } } : null),
    manifest,
    results: null,
    updatedAt: "",
  };
  await saveFiles(files);
  await saveWorkspace(state.workspace);
  refreshAll();
}

// ---------------------------------------------------------------------------------------------
// Panels

const dataPanel = h("div");
function renderData(): void {
  const seedInput = h("input", {
    type: "number",
    min: 1,
    value: demoSeed() ?? DEFAULT_DEMO_SEED,
    "aria-label": "demo seed",
    style: "width: 10em",
  });
  const dirInput = h("input", {
    type: "file",
    multiple: true,
    hidden: true,
    "data-role": "folder-input",
  });
  dirInput.setAttribute("webkitdirectory", "");
  dirInput.addEventListener("change", () => {
    if (!dirInput.files || dirInput.files.length === 0) return;
    const { name, files } = filesFromInput(dirInput.files);
    useFolder(name, files).then(clearError, showError);
  });
  const open = h(
    "button",
    {
      class: "primary",
      "data-action": "open-folder",
      onclick: () => {
        if (hasDirectoryPicker())
          pickFolder()
            .then((r) => (r ? useFolder(r.name, r.files) : undefined))
            .then(clearError, showError);
        else dirInput.click();
      },
    },
    "Open folder…",
  );
  const drop = h(
    "div",
    { class: "drop", "data-role": "drop" },
    "…or drop a folder here: a cohort CSV with its images and masks (NRRD, NIfTI, MetaImage), study.yaml and parameter files, or a feature table.",
  );
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer)
      filesFromDrop(e.dataTransfer)
        .then((r) => useFolder(r.name, r.files))
        .then(clearError, showError);
  });
  const src = state.workspace.source;
  const summary =
    src === null
      ? h("p", { class: "muted" }, "Nothing opened yet.")
      : src.kind === "demo"
        ? h(
            "p",
            { "data-role": "source" },
            `Demo cohort, seed ${src.seed}: 133 patients (68 training, 65 test), T2, DWI and DCE2 with masks; 30 second readers.`,
          )
        : h(
            "div",
            { "data-role": "source" },
            h(
              "p",
              null,
              `Folder '${src.name}': ${state.files.size} files; cohort CSV: ${state.workspace.manifest?.name ?? "none found"}.`,
            ),
            h(
              "table",
              { class: "files" },
              [...state.files.keys()]
                .slice(0, 12)
                .map((p) =>
                  h(
                    "tr",
                    null,
                    h("td", null, p),
                    h(
                      "td",
                      { class: "muted" },
                      `${(state.files.get(p)!.size / 1024).toFixed(1)} KiB`,
                    ),
                  ),
                ),
            ),
            state.files.size > 12
              ? h("p", { class: "muted" }, `… and ${state.files.size - 12} more`)
              : null,
          );
  replace(
    dataPanel,
    h(
      "section",
      { class: "panel" },
      h("h2", null, "Open data"),
      h(
        "p",
        { class: "muted" },
        "Files are read in this page and never uploaded: nothing leaves this machine.",
      ),
      h("div", { class: "row" }, open, dirInput),
      drop,
      h("h3", null, "Or generate the demo cohort"),
      h(
        "div",
        { class: "row" },
        h("label", null, "Seed ", seedInput),
        h(
          "button",
          {
            "data-action": "demo",
            onclick: () => useDemo(Number(seedInput.value)).then(clearError, showError),
          },
          "Generate demo cohort",
        ),
      ),
    ),
    h(
      "section",
      { class: "panel" },
      h("h2", null, "Workspace"),
      summary,
      h(
        "div",
        { class: "row" },
        h(
          "button",
          {
            "data-action": "clear-workspace",
            onclick: () => {
              if (
                !confirm(
                  "Delete the workspace (opened files, settings, drawn masks, results) from this browser?",
                )
              )
                return;
              clearWorkspace().then(() => location.reload(), showError);
            },
          },
          "Clear workspace",
        ),
        h("span", { class: "muted" }, "Kept in this browser (IndexedDB) across reloads."),
      ),
    ),
  );
}
panels.data.append(dataPanel);

// Viewer
function viewerCases(): CaseRef[] {
  const ws = state.workspace;
  if (!ws.configRaw || !ws.manifest) return [];
  try {
    return listCases(ws.configRaw, ws.manifest).map(({ patient, sequence }) => ({
      patient,
      sequence,
    }));
  } catch {
    return [];
  }
}

async function loadCase(ref: CaseRef): Promise<LoadedCase> {
  const drawn = (reader: 1 | 2) =>
    state.masks.get(drawnMaskKey(ref.patient, ref.sequence, reader)) ?? null;
  const seed = demoSeed();
  if (seed !== null) {
    const planned = planDemoCohort(seed).find((p) => p.patient.id === ref.patient);
    if (!planned) throw new Error(`no demo patient '${ref.patient}'`);
    const im = generateDemoImages(planned.patient, ref.sequence as DemoSequence, {
      secondReader: planned.secondReader,
    });
    return {
      image: im.image,
      masks: {
        1: drawn(1) ?? (im.mask as Volume<Uint8Array>),
        2: drawn(2) ?? (planned.secondReader ? (im.mask2 as Volume<Uint8Array>) : null),
      },
      title: `${ref.patient} ${ref.sequence}`,
    };
  }
  const inputs = caseInputs(ref);
  if (inputs.image.kind === "demo") throw new Error("unexpected demo input");
  const image = await readImageSpec(inputs.image);
  const mask = async (reader: 1 | 2) => {
    const spec = inputs.mask(reader);
    if (!spec) return null;
    if (spec.kind === "demo") throw new Error("unexpected demo input");
    return (await readMaskSpec(spec, image)) as Volume<Uint8Array>;
  };
  const label = inputs.files.config.label;
  const loaded: LoadedCase = {
    image: image.volume,
    masks: { 1: await mask(1), 2: await mask(2) },
    title: `${ref.patient} ${ref.sequence}`,
    ...(label !== undefined ? { label } : {}),
  };
  if (inputs.image.kind === "dicom")
    loaded.dicomFiles = await Promise.all(inputs.image.files.map((f) => bytesOf(f.file)));
  return loaded;
}

/** Features the viewer offers as voxel-based maps (PyRadiomics' voxel mode, Original image). */
const MAP_FEATURES = [
  "firstorder_Mean",
  "firstorder_Entropy",
  "firstorder_Variance",
  "glcm_Contrast",
  "glcm_JointEntropy",
  "glrlm_RunEntropy",
  "glszm_ZoneEntropy",
  "gldm_DependenceEntropy",
  "ngtdm_Coarseness",
];

/** A case's feature map with its sequence's extraction parameters, on a worker. */
async function computeFeatureMap(
  ref: CaseRef,
  feature: string,
  kernelRadius: number,
  reader: 1 | 2,
): Promise<Volume<Float64Array>> {
  const inputs = caseInputs(ref);
  const mask = inputs.mask(reader);
  if (!mask) throw new Error(`${ref.patient} ${ref.sequence} has no reader ${reader} mask`);
  const config = validateStudyConfig(state.workspace.configRaw, "study.yaml");
  return runVoxelMap({
    image: inputs.image,
    mask,
    paramsText: await sequenceParamsText(config, inputs.source, ref.sequence),
    label: inputs.files.config.label ?? null,
    feature,
    kernelRadius,
    who: `${ref.patient} ${ref.sequence}`,
  });
}

/**
 * A case's manifest cells and sequence settings, and its image and each reader's mask as the study
 * reads them (a mask drawn in the app replaces the manifest's; null: the reader has none).
 */
function caseInputs(ref: CaseRef) {
  const ws = state.workspace;
  if (!ws.configRaw || !ws.manifest) throw new Error("no cohort opened");
  const files = listCases(ws.configRaw, ws.manifest).find(
    (c) => c.patient === ref.patient && c.sequence === ref.sequence,
  );
  if (!files) throw new Error(`patient '${ref.patient}' has no ${ref.sequence} image`);
  const choice = dicomChoiceOf(files.config);
  const source = currentSource();
  return {
    files,
    source,
    image: source.image(ref.patient, ref.sequence, files.image, choice.image),
    mask(reader: 1 | 2): MaskSpec | null {
      const drawn = state.masks.get(drawnMaskKey(ref.patient, ref.sequence, reader));
      if (drawn) return drawnMaskSpec(ref.patient, ref.sequence, reader, drawn);
      const path = reader === 1 ? files.mask : files.mask2;
      return path ? source.mask(ref.patient, ref.sequence, reader, path, choice.mask) : null;
    },
  };
}

const viewerRoot = h("section", { class: "panel viewer-panel", "data-role": "viewer" });
panels.viewer.append(viewerRoot);
const viewer = mountViewer(viewerRoot, {
  cases: viewerCases,
  load: loadCase,
  saveMask: async (ref, reader, mask) => {
    const key = drawnMaskKey(ref.patient, ref.sequence, reader);
    state.masks.set(key, mask);
    await saveMask(key, mask);
  },
  featureMaps: { features: MAP_FEATURES, compute: computeFeatureMap },
});
const ibsiRoot = h("section", { class: "panel", "data-role": "ibsi" });
panels.viewer.append(ibsiRoot);
mountIbsiPanel(ibsiRoot, () => viewer.current());

// Study
const formHost = {
  get: () => state.workspace.configRaw ?? {},
  set: (raw: Record<string, unknown>) => {
    state.workspace.configRaw = raw;
    persist();
  },
  manifest: () => state.workspace.manifest,
  files: () => {
    const seed = demoSeed();
    return seed !== null ? demoStudy(seed).files : [...state.files.keys()];
  },
};
const mappingRoot = h("section", { class: "panel" });
const formRoot = h("section", { class: "panel" });
const runRoot = h("section", { class: "panel", "data-role": "run" });
panels.study.append(mappingRoot, formRoot, runRoot);
const mapping = mountMapping(mappingRoot, formHost);
const studyForm = mountStudyForm(formRoot, formHost);

const progressBar = h("progress", { max: 1, value: 0, "data-role": "progress" });
const progressText = h("span", { "data-role": "progress-text" });
const runButton = h(
  "button",
  { class: "primary", "data-action": "run", onclick: () => void startRun() },
  "Run study",
);
const cancelButton = h(
  "button",
  { "data-action": "cancel", disabled: true, onclick: () => state.running?.abort() },
  "Cancel",
);
replace(
  runRoot,
  h("h2", null, "Run"),
  h(
    "p",
    { class: "muted" },
    "Extraction runs in Web Workers on every core; finished cases are kept, so a cancelled run resumes where it stopped.",
  ),
  h("div", { class: "row" }, runButton, cancelButton),
  h("div", { class: "progress" }, progressBar, progressText),
);

function formatEta(seconds: number | null): string {
  if (seconds === null) return "";
  if (seconds < 60) return `, about ${Math.ceil(seconds)} s left`;
  return `, about ${Math.ceil(seconds / 60)} min left`;
}

async function startRun(): Promise<boolean> {
  if (state.running) return false;
  const ws = state.workspace;
  clearError();
  const controller = new AbortController();
  state.running = controller;
  runButton.disabled = true;
  cancelButton.disabled = false;
  document.body.dataset.state = "running";
  const started = performance.now();
  try {
    if (!ws.configRaw || !ws.manifest)
      throw new Error("open a cohort (Data tab) and map it (Study tab) first");
    const files = await runStudy(
      {
        configRaw: ws.configRaw,
        configName: "study.yaml",
        manifest: ws.manifest,
        source: currentSource(),
        drawnMasks: state.masks,
      },
      {
        signal: controller.signal,
        onExtraction: (p) => {
          progressBar.max = p.total;
          progressBar.value = p.done;
          progressText.textContent = `extraction: ${p.done} / ${p.total} images${p.cached ? ` (${p.cached} from earlier runs)` : ""}${formatEta(p.etaSeconds)} — ${p.note}`;
        },
        // The robustness step: each job is one training patient's sequence perturbed n times.
        onPerturbation: (p) => {
          progressBar.max = p.total;
          progressBar.value = p.done;
          progressText.textContent = `perturbations: ${p.done} / ${p.total} images${p.cached ? ` (${p.cached} from earlier runs)` : ""}${formatEta(p.etaSeconds)} — ${p.note}`;
        },
        onStage: (stage, done, total) => {
          progressBar.max = Math.max(total, 1);
          progressBar.value = done;
          progressText.textContent = `${stage}: ${done} / ${total}`;
        },
      },
    );
    state.workspace.results = files;
    await saveWorkspace(state.workspace);
    progressText.textContent = `done in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    renderReport(panels.report, files);
    show("report");
    document.body.dataset.state = "done";
    return true;
  } catch (error) {
    if (error instanceof CancelledError || (error as Error).message === "cancelled") {
      progressText.textContent = "cancelled: the finished cases are kept; run again to resume";
      document.body.dataset.state = "cancelled";
    } else {
      progressText.textContent = "failed";
      document.body.dataset.state = "error";
      document.body.dataset.error = (error as Error).message;
      showError(error);
    }
    return false;
  } finally {
    state.running = null;
    runButton.disabled = false;
    cancelButton.disabled = true;
  }
}

// Nomogram
const nomogramRoot = h("section", { class: "panel" });
panels.nomogram.append(nomogramRoot);
const nomogram = mountNomogram(nomogramRoot, {
  currentModel: () => {
    const text = state.workspace.results?.["model.json"];
    return text ? parseFrozenModel(text) : null;
  },
  // The study's nomogram figure (result.json) gives the axes' training ranges.
  currentNomogramFigure: () => {
    const text = state.workspace.results?.["result.json"];
    return text ? JSON.parse(text).nomogram : null;
  },
  extract: async ({ image, mask, sequence, paramsText, label }) => {
    const [reply] = await runExtractionJobs(
      [
        {
          sequence,
          image: { kind: "file", name: image.name, file: image },
          masks: [{ reader: 1, mask: { kind: "file", name: mask.name, file: mask } }],
          paramsText,
          label,
          who: "this patient",
        },
      ],
      { workers: 1 },
    );
    return reply!.results[0]!.features;
  },
});

function refreshAll(): void {
  renderData();
  renderReport(panels.report, state.workspace.results);
  mapping.refresh();
  studyForm.refresh();
  viewer.refresh();
  nomogram.refresh();
}

// ---------------------------------------------------------------------------------------------
// Boot

async function boot(): Promise<void> {
  document.body.append(
    h(
      "header",
      { class: "app" },
      h("h1", null, "radscore"),
      h("nav", { class: "tabs", role: "tablist" }, tabButtons),
      h("span", { class: "spacer" }),
      h(
        "span",
        { class: "local", title: "No request leaves this page's own origin" },
        "Local only: your data stays on this machine",
      ),
    ),
    h("main", { class: "app" }, banner, ...TABS.map((t) => panels[t.id])),
    h(
      "footer",
      { class: "app" },
      "radscore — PyRadiomics-compatible features and R / scikit-learn-exact statistics, in your browser.",
    ),
  );
  window.addEventListener("error", (e) => showError(e.error ?? e.message));
  window.addEventListener("unhandledrejection", (e) => showError(e.reason));
  try {
    state.workspace = await loadWorkspace();
    state.files = await loadFiles();
    state.masks = await loadMasks();
  } catch (error) {
    showError(error);
  }
  const params = new URLSearchParams(location.search);
  const fromHash = location.hash.slice(1) as Tab;
  refreshAll();
  show(
    TABS.some((t) => t.id === fromHash) ? fromHash : state.workspace.results ? "report" : "data",
  );
  document.body.dataset.state = "ready";
  if (params.get("demo") === "1") {
    const seed = params.has("seed") ? Number(params.get("seed")) : DEFAULT_DEMO_SEED;
    try {
      await useDemo(seed);
    } catch (error) {
      document.body.dataset.state = "error";
      document.body.dataset.error = (error as Error).message;
      showError(error);
      return;
    }
    show("study");
    await startRun();
  }
}

void boot();
