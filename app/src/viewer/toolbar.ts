/**
 * The viewer's toolbars: case and reader switchers, overlay toggles and opacity, window presets,
 * zoom, help (top row); drawing tools, brush size, ROI actions, drawing mode and saving (second
 * row); with a host that computes feature maps, a "Feature map" group (feature, kernel radius,
 * compute, show, opacity) at the end of the top row. Builds the DOM with the stable data-* hooks
 * the end-to-end tests use; `sync` brings enabled / pressed states in line with the viewer.
 */
import { h, replace } from "../ui/dom.js";
import {
  type CaseRef,
  caseKey,
  type DrawMode,
  MAP_RADII,
  type MapState,
  READER_COLOURS,
  type Reader,
  type Tool,
} from "./types.js";

export type Action =
  | "undo"
  | "redo"
  | "fill-holes"
  | "copy-next"
  | "copy-previous"
  | "interpolate"
  | "clear-slice"
  | "save-nrrd"
  | "save-seg"
  | "largest-slice"
  | "window-auto"
  | "window-full"
  | "zoom-in"
  | "zoom-out"
  | "zoom-reset"
  | "help";

/** What the toolbar calls back. */
export interface ToolbarActions {
  selectCase(key: string): void;
  setReader(reader: Reader): void;
  setShow(reader: Reader, show: boolean): void;
  setOpacity(alpha: number): void;
  setTool(tool: Tool): void;
  setBrushDiameter(mm: number): void;
  setMode(mode: DrawMode): void;
  action(action: Action): void;
  /** Feature-map controls (only called when the toolbar was built with features). */
  computeMap?(): void;
  setMapShow?(show: boolean): void;
  setMapOpacity?(alpha: number): void;
}

/** The feature-map controls' state. */
export interface MapToolbarState {
  state: MapState;
  show: boolean;
  opacity: number;
}

/** The toolbar state `sync` shows. */
export interface ToolbarState {
  hasCase: boolean;
  tool: Tool;
  reader: Reader;
  show: Record<Reader, boolean>;
  opacity: number;
  brushDiameter: number;
  mode: DrawMode;
  canUndo: boolean;
  canRedo: boolean;
  /** Why DICOM-SEG export is unavailable, or null when it is available. */
  segUnavailable: string | null;
  /** Why editing the active reader's mask is impossible, or null. */
  editBlocked: string | null;
  windowText: string;
  /** The feature-map group's state (ignored when the toolbar has none). */
  map?: MapToolbarState;
}

/** The feature-map group's controls. */
export interface MapControls {
  feature: HTMLSelectElement;
  radius: HTMLSelectElement;
  compute: HTMLButtonElement;
  show: HTMLInputElement;
  opacity: HTMLInputElement;
  /** "computing…" while the host computes. */
  status: HTMLOutputElement;
}

/** The feature select's options, grouped by class ("glcm_Contrast" under "glcm"). */
function featureOptions(features: readonly string[]): HTMLElement[] {
  const groups = new Map<string, string[]>();
  const out: HTMLElement[] = [];
  for (const f of features) {
    const cut = f.indexOf("_");
    if (cut <= 0) continue;
    const cls = f.slice(0, cut);
    const list = groups.get(cls);
    if (list) list.push(f);
    else groups.set(cls, [f]);
  }
  for (const f of features) {
    if (f.indexOf("_") <= 0) out.push(h("option", { value: f }, f));
  }
  for (const [cls, list] of groups) {
    out.push(
      h(
        "optgroup",
        { label: cls },
        list.map((f) => h("option", { value: f }, f)),
      ),
    );
  }
  return out;
}

const TOOLS: { tool: Tool; text: string; title: string; key: string }[] = [
  {
    tool: "navigate",
    text: "Navigate",
    title: "Navigate: click or drag to move the crosshair",
    key: "N",
  },
  {
    tool: "polygon",
    text: "Polygon",
    title:
      "Polygon: click vertices; double-click, Enter or a click on the first vertex closes; Escape cancels",
    key: "P",
  },
  { tool: "brush", text: "Brush", title: "Brush: paint the ROI (size in mm)", key: "B" },
  { tool: "erase", text: "Eraser", title: "Eraser: erase the ROI (size in mm)", key: "E" },
];

const ACTIONS: { action: Action; text: string; title: string; key?: string }[] = [
  {
    action: "fill-holes",
    text: "Fill holes",
    title: "Fill the holes of the ROI on this slice",
    key: "F",
  },
  {
    action: "copy-previous",
    text: "◀ Copy",
    title: "Copy this slice's ROI to the previous slice",
    key: ",",
  },
  {
    action: "copy-next",
    text: "Copy ▶",
    title: "Copy this slice's ROI to the next slice",
    key: ".",
  },
  {
    action: "interpolate",
    text: "Interpolate",
    title: "Interpolate the ROI between the nearest drawn slices below and above",
    key: "I",
  },
  {
    action: "clear-slice",
    text: "Clear slice",
    title: "Erase the ROI on this slice",
    key: "Delete",
  },
  { action: "undo", text: "Undo", title: "Undo the last ROI edit", key: "Ctrl+Z" },
  {
    action: "redo",
    text: "Redo",
    title: "Redo the last undone ROI edit",
    key: "Ctrl+Y / Ctrl+Shift+Z",
  },
];

/** The "Feature map" group: its controls (features filled by setFeatures) and element. */
function mapControls(actions: ToolbarActions): { controls: MapControls; element: HTMLElement } {
  const feature = h("select", {
    "data-role": "map-feature",
    "aria-label": "Feature of the map",
    title: "Feature computed on the kernel around each ROI voxel (PyRadiomics voxel-based)",
  });
  const radius = h(
    "select",
    {
      "data-role": "map-radius",
      "aria-label": "Kernel radius in voxels",
      title: "Kernel radius r in voxels: the feature of the (2r + 1)³ box around each ROI voxel",
    },
    MAP_RADII.map((r) => h("option", { value: String(r) }, `r ${r}`)),
  );
  radius.value = String(MAP_RADII[0]);
  const compute = h(
    "button",
    {
      type: "button",
      class: "rv-button",
      "data-action": "compute-map",
      title: "Compute the feature map on the active reader's ROI",
      "aria-label": "Compute the feature map on the active reader's ROI",
      onclick: () => actions.computeMap?.(),
    },
    "Map",
  );
  const show = h("input", {
    type: "checkbox",
    "data-role": "show-map",
    "aria-label": "Show the feature map",
    checked: true,
    onchange: () => actions.setMapShow?.(show.checked),
  });
  const opacity = h("input", {
    type: "range",
    min: 0,
    max: 1,
    step: 0.05,
    value: 0.6,
    "data-role": "map-opacity",
    "aria-label": "Feature map opacity",
    title: "Feature map opacity",
    oninput: () => actions.setMapOpacity?.(Number(opacity.value)),
  });
  const status = h("output", { class: "rv-map-status", "aria-live": "polite" });
  const element = h(
    "span",
    { class: "rv-group rv-map-group", role: "group", "aria-label": "Feature map" },
    h("span", { class: "rv-group-label" }, "Feature map"),
    feature,
    radius,
    compute,
    h("label", { class: "rv-toggle", title: "Show or hide the feature map" }, show, "Show"),
    opacity,
    status,
  );
  return { controls: { feature, radius, compute, show, opacity, status }, element };
}

function withKey(title: string, key?: string): string {
  return key ? `${title} (${key})` : title;
}

export class Toolbar {
  readonly element: HTMLDivElement;
  readonly caseSelect: HTMLSelectElement;
  readonly readerSelect: HTMLSelectElement;
  readonly showBoxes: Record<Reader, HTMLInputElement>;
  readonly opacity: HTMLInputElement;
  readonly brush: HTMLInputElement;
  readonly brushOutput: HTMLOutputElement;
  readonly modeSelect: HTMLSelectElement;
  readonly windowOutput: HTMLOutputElement;
  readonly toolButtons = new Map<Tool, HTMLButtonElement>();
  readonly actionButtons = new Map<Action, HTMLButtonElement>();
  readonly helpButton: HTMLButtonElement;
  /** The feature-map controls (null without host feature maps). */
  readonly map: MapControls | null;
  #features: string[] | null = null;

  /** `features`: the feature maps offered (null: no feature-map group). */
  constructor(actions: ToolbarActions, features: readonly string[] | null = null) {
    const button = (action: Action, text: string, title: string, key?: string) => {
      const b = h(
        "button",
        {
          type: "button",
          class: "rv-button",
          "data-action": action,
          title: withKey(title, key),
          "aria-label": title,
          onclick: () => actions.action(action),
        },
        text,
      );
      this.actionButtons.set(action, b);
      return b;
    };

    this.caseSelect = h("select", {
      "data-role": "case",
      "aria-label": "Patient and sequence",
      title: "Patient and sequence",
      onchange: () => actions.selectCase(this.caseSelect.value),
    });
    this.readerSelect = h(
      "select",
      {
        "data-role": "reader",
        "aria-label": "Draw as reader",
        title:
          "Draw as reader 1 or reader 2 (reader 2 hides reader 1's ROI: blinded second reading)",
        onchange: () => actions.setReader(this.readerSelect.value === "2" ? 2 : 1),
      },
      h("option", { value: "1" }, "Reader 1"),
      h("option", { value: "2" }, "Reader 2"),
    );
    const showBox = (r: Reader) =>
      h("input", {
        type: "checkbox",
        "data-role": `show-${r}`,
        "aria-label": `Show reader ${r}'s ROI`,
        checked: true,
        onchange: () => actions.setShow(r, this.showBoxes[r].checked),
      });
    this.showBoxes = { 1: showBox(1), 2: showBox(2) };
    const showLabel = (r: Reader) =>
      h(
        "label",
        { class: "rv-toggle", title: `Show or hide reader ${r}'s ROI (${r})` },
        this.showBoxes[r],
        h("span", { class: "rv-swatch", style: `background:${READER_COLOURS[r].hex}` }),
        `R${r}`,
      );
    this.opacity = h("input", {
      type: "range",
      min: 0,
      max: 1,
      step: 0.05,
      value: 0.35,
      "data-role": "opacity",
      "aria-label": "ROI fill opacity",
      title: "ROI fill opacity",
      oninput: () => actions.setOpacity(Number(this.opacity.value)),
    });
    this.windowOutput = h("output", { class: "rv-readout", "aria-label": "Window" });
    this.helpButton = button("help", "?", "Keyboard shortcuts and mouse controls", "?");
    this.helpButton.setAttribute("aria-expanded", "false");
    this.helpButton.setAttribute("aria-haspopup", "dialog");
    const mapGroup = features ? mapControls(actions) : null;
    this.map = mapGroup?.controls ?? null;
    if (features) this.setFeatures(features);

    const top = h(
      "div",
      { class: "rv-bar", role: "toolbar", "aria-label": "Case and display" },
      h("label", { class: "rv-field" }, "Case", this.caseSelect),
      h("label", { class: "rv-field" }, "Reader", this.readerSelect),
      h(
        "span",
        { class: "rv-group", role: "group", "aria-label": "ROI overlays" },
        showLabel(1),
        showLabel(2),
      ),
      h("label", { class: "rv-field" }, "Opacity", this.opacity),
      h(
        "span",
        { class: "rv-group", role: "group", "aria-label": "Window / level" },
        button("window-auto", "Auto W/L", "Window from the 1st to the 99th percentile", "W"),
        button("window-full", "Full range", "Window over the full intensity range", "Shift+W"),
        this.windowOutput,
      ),
      h(
        "span",
        { class: "rv-group", role: "group", "aria-label": "Zoom" },
        button("zoom-out", "−", "Zoom out", "-"),
        button("zoom-in", "+", "Zoom in", "+"),
        button("zoom-reset", "Fit", "Fit the slices to their views (reset zoom and pan)", "0"),
      ),
      mapGroup?.element ?? null,
      this.helpButton,
    );

    const tools = h(
      "span",
      { class: "rv-group", role: "group", "aria-label": "Tools" },
      TOOLS.map(({ tool, text, title, key }) => {
        const b = h(
          "button",
          {
            type: "button",
            class: "rv-button rv-tool",
            "data-tool": tool,
            title: withKey(title, key),
            "aria-label": title,
            "aria-pressed": "false",
            onclick: () => actions.setTool(tool),
          },
          text,
        );
        this.toolButtons.set(tool, b);
        return b;
      }),
    );
    this.brush = h("input", {
      type: "range",
      min: 1,
      max: 50,
      step: 0.5,
      value: 6,
      "data-role": "brush-size",
      "aria-label": "Brush diameter in mm",
      title: "Brush / eraser diameter in mm ([ and ])",
      oninput: () => actions.setBrushDiameter(Number(this.brush.value)),
    });
    this.brushOutput = h("output", { class: "rv-readout" });
    this.modeSelect = h(
      "select",
      {
        "data-role": "mode",
        "aria-label": "Drawing mode",
        title:
          "Largest slice only: one ROI slice per case (drawing on a second slice warns). Slice by slice: a 3D ROI.",
        onchange: () => actions.setMode(this.modeSelect.value === "largest" ? "largest" : "3d"),
      },
      h("option", { value: "3d" }, "Slice by slice (3D)"),
      h("option", { value: "largest" }, "Largest slice only"),
    );
    const bottom = h(
      "div",
      { class: "rv-bar", role: "toolbar", "aria-label": "ROI drawing" },
      tools,
      h("label", { class: "rv-field" }, "Size", this.brush, this.brushOutput),
      h(
        "span",
        { class: "rv-group", role: "group", "aria-label": "ROI actions" },
        ACTIONS.map((a) => button(a.action, a.text, a.title, a.key)),
      ),
      h(
        "span",
        { class: "rv-group", role: "group", "aria-label": "Drawing mode" },
        this.modeSelect,
        button(
          "largest-slice",
          "Largest slice",
          "Go to the axial slice where the ROI is largest",
          "L",
        ),
      ),
      h(
        "span",
        { class: "rv-group", role: "group", "aria-label": "Save" },
        button("save-nrrd", "Save mask (NRRD)", "Download the active reader's mask as NRRD"),
        h(
          "span",
          { class: "rv-seg-wrap" },
          button(
            "save-seg",
            "Save DICOM-SEG",
            "Download the active reader's mask as a DICOM Segmentation",
          ),
        ),
      ),
    );
    this.element = h("div", { class: "rv-toolbars" }, top, bottom);
  }

  /** The features offered (the selection is kept when still offered, else the first). */
  setFeatures(features: readonly string[]): void {
    const m = this.map;
    if (!m) return;
    const old = this.#features;
    if (old && features.length === old.length && features.every((f, i) => f === old[i])) return;
    const current = m.feature.value;
    this.#features = [...features];
    replace(m.feature, featureOptions(features));
    m.feature.value = features.includes(current) ? current : (features[0] ?? "");
    m.feature.disabled = features.length === 0;
  }

  /** Fills the case switcher, keeping `current` selected (a placeholder when none). */
  setCases(cases: CaseRef[], current: CaseRef | null): void {
    const byPatient = new Map<string, CaseRef[]>();
    for (const c of cases) {
      const list = byPatient.get(c.patient);
      if (list) list.push(c);
      else byPatient.set(c.patient, [c]);
    }
    const options: HTMLElement[] = [];
    if (!current) options.push(h("option", { value: "", disabled: true }, "Choose a case…"));
    for (const [patient, list] of byPatient) {
      options.push(
        h(
          "optgroup",
          { label: patient },
          list.map((c) => h("option", { value: caseKey(c) }, `${c.patient} · ${c.sequence}`)),
        ),
      );
    }
    replace(this.caseSelect, options);
    this.caseSelect.value = current ? caseKey(current) : "";
    this.caseSelect.disabled = cases.length === 0;
  }

  sync(s: ToolbarState): void {
    for (const [tool, b] of this.toolButtons) {
      b.setAttribute("aria-pressed", String(tool === s.tool));
      b.classList.toggle("rv-pressed", tool === s.tool);
      b.disabled = !s.hasCase || (tool !== "navigate" && s.editBlocked !== null);
    }
    this.readerSelect.value = String(s.reader);
    this.showBoxes[1].checked = s.show[1];
    this.showBoxes[2].checked = s.show[2];
    this.opacity.value = String(s.opacity);
    this.brush.value = String(s.brushDiameter);
    this.brushOutput.textContent = `${s.brushDiameter} mm`;
    this.modeSelect.value = s.mode;
    this.windowOutput.textContent = s.windowText;
    const editing: Action[] = [
      "fill-holes",
      "copy-next",
      "copy-previous",
      "interpolate",
      "clear-slice",
    ];
    for (const [action, b] of this.actionButtons) {
      let disabled = !s.hasCase && action !== "help";
      if (editing.includes(action) && s.editBlocked !== null) disabled = true;
      if (action === "undo") disabled ||= !s.canUndo;
      if (action === "redo") disabled ||= !s.canRedo;
      b.disabled = disabled;
    }
    const seg = this.actionButtons.get("save-seg")!;
    // A disabled button shows no tooltip in every browser: its wrapper carries the reason too.
    const title =
      s.segUnavailable ??
      "Download the active reader's mask as a DICOM Segmentation referencing the series";
    if (s.segUnavailable) seg.disabled = true;
    seg.title = title;
    seg.parentElement?.setAttribute("title", title);
    const m = this.map;
    if (m && s.map) {
      const computing = s.map.state === "computing";
      m.compute.disabled = !s.hasCase || computing || (this.#features?.length ?? 0) === 0;
      m.compute.setAttribute("aria-busy", String(computing));
      m.show.checked = s.map.show;
      m.opacity.value = String(s.map.opacity);
      m.status.textContent = computing ? "computing…" : "";
    }
  }
}
