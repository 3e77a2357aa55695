/**
 * The viewer: mounts the toolbars, the three linked slice views, the info panel, the check list
 * and the status line into a root element, and holds the state they share (the case, the masks
 * and their histories, window, crosshair, tool, reader, the feature map). Rendering is coalesced
 * into one animation frame; ROI actions live in editing.ts, pointer and wheel handling in
 * interaction.ts, keys in keys.ts, the info panel, the check list and the feature map's grid check
 * and legend in info-panel.ts, checks-panel.ts and feature-map-panel.ts.
 */
import {
  EditHistory,
  emptyMaskLike,
  type SliceEdit,
  type SliceRef,
  sliceLabelCounts,
} from "../../../src/image/roi/index.js";
import { indexToPhysical, type Vec3, type Volume, voxelTypeOf } from "../../../src/image/volume.js";
import { h, replace } from "../ui/dom.js";
import { renderChecks } from "./checks-panel.js";
import * as editing from "./editing.js";
import { checkedFeatureMap, type FeatureMap, renderMapLegend } from "./feature-map-panel.js";
import { checkImageMask, sameGrid } from "./geometry-check.js";
import { HelpPopover } from "./help.js";
import { renderInfo } from "./info-panel.js";
import { attachInteraction } from "./interaction.js";
import { handleKey } from "./keys.js";
import type { HeatLayer, OverlayLayer } from "./render.js";
import { type Scene, SliceView } from "./slice-view.js";
import { type Action, Toolbar } from "./toolbar.js";
import { axesOf, type Plane, zoomAbout } from "./transform.js";
import {
  type CaseRef,
  caseKey,
  type DrawMode,
  type LoadedCase,
  type MapState,
  READER_COLOURS,
  type Reader,
  type Tool,
  type ViewerHost,
  type ViewerState,
} from "./types.js";
import {
  autoWindow,
  dragWindow,
  formatValue,
  fullWindow,
  type IntensityStats,
  intensityStats,
  levelWidth,
  type WindowRange,
} from "./window-level.js";

export type SaveState = "none" | "pending" | "saving" | "saved" | "failed";

export interface CaseData {
  ref: CaseRef;
  title: string;
  image: Volume;
  label: number;
  dicomFiles?: Uint8Array[];
  masks: Record<Reader, Volume<Uint8Array> | null>;
  /** The mask lies voxel for voxel on the image grid (it can be shown and edited). */
  usable: Record<Reader, boolean>;
  checks: Record<Reader, string[]>;
  histories: Record<Reader, EditHistory>;
  /** Voxels and axial slices of the ROI (refreshed after edits, debounced). */
  roi: Record<Reader, { voxels: number; slices: number[] } | null>;
  saves: Record<Reader, SaveState>;
  stats: IntensityStats;
  window: WindowRange;
  crosshair: Vec3;
  /** The largest-slice mode warning, when the ROI spans several axial slices. */
  largestWarning: string | null;
}

export interface UiState {
  tool: Tool;
  reader: Reader;
  show: Record<Reader, boolean>;
  opacity: number;
  brushDiameter: number;
  mode: DrawMode;
  activePlane: Plane;
  /** Feature map shown (when there is one) and its opacity. */
  mapShow: boolean;
  mapOpacity: number;
}

export interface PolygonState {
  plane: Plane;
  index: number;
  points: [number, number][];
  hover: [number, number] | null;
}

const PLANES: Plane[] = ["axial", "sagittal", "coronal"];
const SAVE_DELAY_MS = 500;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Viewer {
  readonly root: HTMLElement;
  readonly host: ViewerHost;
  readonly views: Record<Plane, SliceView>;
  readonly toolbar: Toolbar;
  readonly help: HelpPopover;
  c: CaseData | null = null;
  ui: UiState = {
    tool: "navigate",
    reader: 1,
    show: { 1: true, 2: true },
    opacity: 0.35,
    brushDiameter: 6,
    mode: "3d",
    activePlane: "axial",
    mapShow: true,
    mapOpacity: 0.6,
  };
  polygon: PolygonState | null = null;
  brushHover: { plane: Plane; at: [number, number] } | null = null;
  state: ViewerState = "empty";

  #grid: HTMLDivElement;
  #placeholder: HTMLDivElement;
  #message: HTMLDivElement;
  #warnings: HTMLDivElement;
  #info: HTMLDivElement;
  #status: HTMLDivElement;
  #frame = 0;
  #loadToken = 0;
  #saveTimers: Record<Reader, ReturnType<typeof setTimeout> | null> = { 1: null, 2: null };
  #resize: ResizeObserver | null = null;
  #detach: (() => void)[] = [];
  #layers: Record<Reader, OverlayLayer | null> = { 1: null, 2: null };
  #destroyed = false;
  #map: FeatureMap | null = null;
  #mapState: MapState = "none";
  #mapToken = 0;
  #legend: HTMLDivElement;

  constructor(root: HTMLElement, host: ViewerHost) {
    this.root = root;
    this.host = host;
    this.toolbar = new Toolbar(
      {
        selectCase: (key) => this.#selectCase(key),
        setReader: (r) => this.setReader(r),
        setShow: (r, show) => this.setShow(r, show),
        setOpacity: (a) => {
          this.ui.opacity = a;
          this.requestRender(true);
        },
        setTool: (t) => this.setTool(t),
        setBrushDiameter: (mm) => {
          this.ui.brushDiameter = mm;
          this.syncToolbar();
          this.requestRender();
        },
        setMode: (m) => this.setMode(m),
        action: (a) => this.action(a),
        computeMap: () => void this.computeMap(),
        setMapShow: (show) => this.setMapShow(show),
        setMapOpacity: (a) => {
          this.ui.mapOpacity = a;
          if (this.#map && this.ui.mapShow) this.requestRender(true);
        },
      },
      host.featureMaps ? host.featureMaps.features : null,
    );
    this.help = new HelpPopover(this.toolbar.helpButton);
    this.views = {
      axial: new SliceView("axial"),
      sagittal: new SliceView("sagittal"),
      coronal: new SliceView("coronal"),
    };
    this.#info = h("div", { class: "rv-info", "aria-label": "Case information" });
    this.#placeholder = h("div", { class: "rv-placeholder", role: "status" });
    // Checks and messages live in the grid's fourth cell and over the grid, so that they never
    // move the views (a pointer gesture in progress keeps its place).
    this.#warnings = h("div", {
      class: "rv-warnings",
      role: "status",
      "data-role": "checks",
      hidden: true,
    });
    this.#message = h("div", { class: "rv-message", role: "alert", hidden: true });
    this.#legend = h("div", {
      class: "rv-map-legend",
      "data-role": "map-legend",
      role: "group",
      "aria-label": "Feature map colour scale",
      hidden: true,
    });
    this.#grid = h(
      "div",
      { class: "rv-grid" },
      this.views.axial.element,
      this.views.sagittal.element,
      this.views.coronal.element,
      h("div", { class: "rv-side" }, this.#warnings, this.#legend, this.#info),
      this.#placeholder,
      this.#message,
    );
    this.#status = h("div", { class: "rv-status", "data-role": "status" });
    root.classList.add("rv-root");
    replace(root, this.toolbar.element, this.help.element, this.#grid, this.#status);

    for (const plane of PLANES) this.#detach.push(attachInteraction(this.views[plane], this));
    const onKey = (e: KeyboardEvent) => {
      try {
        if (handleKey(this, e)) e.preventDefault();
      } catch (error) {
        this.showError(message(error));
      }
    };
    root.addEventListener("keydown", onKey);
    this.#detach.push(() => root.removeEventListener("keydown", onKey));
    if (typeof ResizeObserver !== "undefined") {
      this.#resize = new ResizeObserver(() => this.requestRender());
      for (const plane of PLANES) this.#resize.observe(this.views[plane].element);
    }
    this.#setState("empty");
    this.#setMapState("none");
    this.#placeholder.textContent = "Choose a case to view it.";
    this.refresh();
  }

  // ---- lifecycle -------------------------------------------------------------------------

  async open(ref: CaseRef): Promise<void> {
    if (this.#destroyed) return;
    const token = ++this.#loadToken;
    this.polygon = null;
    // Maps belong to a case: switching drops the map (and any still being computed).
    this.#clearMap();
    await this.flushSaves();
    if (token !== this.#loadToken) return;
    const previous = this.c;
    this.#setState("loading");
    this.#placeholder.textContent = `Loading ${ref.patient} ${ref.sequence}…`;
    this.toolbar.setCases(this.cases(), ref);
    let loaded: LoadedCase;
    try {
      loaded = await this.host.load(ref);
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.#fail(ref, `Could not load ${ref.patient} ${ref.sequence}: ${message(error)}`);
      return;
    }
    if (token !== this.#loadToken || this.#destroyed) return;
    try {
      this.#setCase(ref, loaded, previous);
    } catch (error) {
      this.#fail(
        ref,
        `Could not show ${loaded.title || `${ref.patient} ${ref.sequence}`}: ${message(error)}`,
      );
      return;
    }
    this.#setState("ready");
    this.syncToolbar();
    this.renderNow();
    // With nothing else focused, the active view takes the keyboard (slice keys work at once).
    if (!document.activeElement || document.activeElement === document.body) {
      this.views[this.ui.activePlane].element.focus({ preventScroll: true });
    }
  }

  refresh(): void {
    this.toolbar.setCases(this.cases(), this.c?.ref ?? null);
    if (this.host.featureMaps) this.toolbar.setFeatures(this.host.featureMaps.features);
    if (this.c) {
      for (const plane of PLANES) this.views[plane].invalidate();
      this.requestRender();
    }
    this.syncToolbar();
  }

  destroy(): void {
    if (this.#destroyed) return;
    void this.flushSaves();
    this.#destroyed = true;
    this.#loadToken++;
    this.#mapToken++;
    this.#map = null;
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#resize?.disconnect();
    for (const detach of this.#detach) detach();
    this.help.close();
    this.root.replaceChildren();
    this.root.classList.remove("rv-root");
    delete this.root.dataset["state"];
    delete this.root.dataset["mapState"];
  }

  #setState(state: ViewerState): void {
    this.state = state;
    this.root.dataset["state"] = state;
    this.#placeholder.hidden = state === "ready";
    this.#placeholder.classList.toggle("rv-error", state === "error");
    this.#placeholder.setAttribute("role", state === "error" ? "alert" : "status");
  }

  #fail(ref: CaseRef, text: string): void {
    this.c = null;
    for (const plane of PLANES) this.views[plane].clear();
    this.#setState("error");
    this.#placeholder.textContent = text;
    this.toolbar.setCases(this.cases(), ref);
    this.renderWarnings();
    renderInfo(this.#info, this);
    this.#status.textContent = "";
    this.syncToolbar();
  }

  /** host.cases(), an empty list (and a message) when it throws. */
  cases(): CaseRef[] {
    try {
      return this.host.cases();
    } catch (error) {
      this.showError(`Could not list the cases: ${message(error)}`);
      return [];
    }
  }

  #selectCase(key: string): void {
    const ref = this.cases().find((c) => caseKey(c) === key);
    if (ref) void this.open(ref);
  }

  #setCase(ref: CaseRef, loaded: LoadedCase, previous: CaseData | null): void {
    const image = loaded.image;
    const [nx, ny, nz] = image.size;
    if (![nx, ny, nz].every((n) => Number.isInteger(n) && n >= 1)) {
      throw new Error(`the image size ${image.size.join(" x ")} is not a voxel grid`);
    }
    if (image.data.length !== nx * ny * nz) {
      throw new Error(
        `the image holds ${image.data.length} voxels but its size needs ${nx * ny * nz}`,
      );
    }
    if (!image.spacing.every((s) => Number.isFinite(s) && s > 0)) {
      throw new Error(`the image spacing ${image.spacing.join(" x ")} mm is not positive`);
    }
    const label = loaded.label ?? 1;
    if (!(Number.isInteger(label) && label >= 1 && label <= 255)) {
      throw new Error(`the ROI label ${label} is not in 1..255`);
    }
    const stats = intensityStats(image.data);
    const c: CaseData = {
      ref,
      title: loaded.title || `${ref.patient} ${ref.sequence}`,
      image,
      label,
      masks: { 1: loaded.masks[1], 2: loaded.masks[2] },
      usable: { 1: false, 2: false },
      checks: { 1: [], 2: [] },
      histories: { 1: new EditHistory(), 2: new EditHistory() },
      roi: { 1: null, 2: null },
      saves: { 1: "none", 2: "none" },
      stats,
      window: autoWindow(stats),
      crosshair: [Math.floor(nx / 2), Math.floor(ny / 2), Math.floor(nz / 2)],
      largestWarning: null,
    };
    if (loaded.dicomFiles && loaded.dicomFiles.length > 0) c.dicomFiles = loaded.dicomFiles;
    for (const r of [1, 2] as Reader[]) {
      const m = c.masks[r];
      if (!m) continue;
      c.checks[r] = checkImageMask(image, m, label);
      c.usable[r] = m.data instanceof Uint8Array && sameGrid(image, m);
      if (c.usable[r]) this.#updateRoi(c, r);
    }
    this.c = c;
    this.#layers = { 1: null, 2: null };
    for (const plane of PLANES) this.views[plane].setImage(image);

    // Drawing mode from the ROIs present: one axial slice means a largest-slice ROI.
    const drawn = ([1, 2] as Reader[]).map((r) => c.roi[r]).filter((x) => x && x.voxels > 0);
    if (drawn.length > 0)
      this.ui.mode = drawn.every((x) => x!.slices.length === 1) ? "largest" : "3d";

    // Crosshair: the same physical point when staying with the patient, else the ROI's largest
    // slice (never from a mask the active reader may not see), else the centre.
    const kept =
      previous && previous.ref.patient === ref.patient ? this.#mapPoint(previous, image) : null;
    if (kept) c.crosshair = kept;
    else {
      const other: Reader = this.ui.reader === 1 ? 2 : 1;
      const sources: Reader[] = [this.ui.reader, ...(this.ui.show[other] ? [other] : [])];
      for (const r of sources) {
        const at = editing.roiCentre(c, r);
        if (at) {
          c.crosshair = at;
          break;
        }
      }
    }
    this.#message.hidden = true;
    this.toolbar.setCases(this.cases(), ref);
    this.renderWarnings();
    renderInfo(this.#info, this);
    this.syncToolbar();
    this.#updateStatus(null);
  }

  /** The crosshair of `from` as a voxel of `image` (same physical point), or null outside it. */
  #mapPoint(from: CaseData, image: Volume): Vec3 | null {
    try {
      const p = indexToPhysical(from.image, from.crosshair);
      const inv = editing.physicalToVoxel(image, p);
      return inv;
    } catch {
      return null;
    }
  }

  // ---- rendering -------------------------------------------------------------------------

  /** Schedules a draw on the next animation frame; `invalidate` re-renders slice contents. */
  requestRender(invalidate = false): void {
    if (invalidate) for (const plane of PLANES) this.views[plane].invalidate();
    if (this.#frame || this.#destroyed) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.renderNow();
    });
  }

  renderNow(): void {
    if (this.#frame) {
      cancelAnimationFrame(this.#frame);
      this.#frame = 0;
    }
    const scene = this.scene();
    if (!scene) return;
    try {
      for (const plane of PLANES) this.views[plane].draw(scene);
    } catch (error) {
      this.showError(`Drawing failed: ${message(error)}`);
    }
  }

  scene(): Scene | null {
    const c = this.c;
    if (!c || this.state !== "ready") return null;
    const overlays: Scene["overlays"] = [];
    for (const r of [1, 2] as Reader[]) {
      const m = c.masks[r];
      if (!m || !c.usable[r] || !this.ui.show[r]) continue;
      let layer = this.#layers[r];
      if (!layer || layer.data !== m.data) {
        layer = {
          data: m.data,
          label: c.label,
          rgb: READER_COLOURS[r].rgb,
          alpha: this.ui.opacity,
        };
        this.#layers[r] = layer;
      }
      layer.alpha = this.ui.opacity;
      overlays.push({ layer, outline: READER_COLOURS[r].hex });
    }
    const tool = this.ui.tool;
    const brush =
      (tool === "brush" || tool === "erase") && this.brushHover
        ? {
            plane: this.brushHover.plane,
            at: this.brushHover.at,
            radiusMm: this.ui.brushDiameter / 2,
            colour: READER_COLOURS[this.ui.reader].hex,
            erase: tool === "erase",
          }
        : null;
    const map = this.#map;
    let heat: HeatLayer | null = null;
    if (map && this.ui.mapShow && map.range.finite > 0) {
      heat = map.layer;
      heat.alpha = this.ui.mapOpacity;
    }
    return {
      image: c.image,
      window: c.window,
      heat,
      overlays,
      crosshair: c.crosshair,
      showCrosshair: true,
      polygon: this.polygon,
      brush,
      activePlane: this.ui.activePlane,
    };
  }

  // ---- navigation --------------------------------------------------------------------------

  /** Moves the crosshair to slice voxel (u, v) of `plane` (its slice unchanged). */
  setCrosshair(plane: Plane, u: number, v: number): void {
    const c = this.c;
    if (!c) return;
    const a = axesOf(plane);
    const next: Vec3 = [...c.crosshair];
    next[a.u] = Math.min(Math.max(Math.round(u), 0), c.image.size[a.u] - 1);
    next[a.v] = Math.min(Math.max(Math.round(v), 0), c.image.size[a.v] - 1);
    c.crosshair = next;
    this.requestRender();
    this.#updateStatus(null);
  }

  /** The slice of `plane` under the crosshair. */
  sliceIndex(plane: Plane): number {
    return this.c ? this.c.crosshair[axesOf(plane).normal] : 0;
  }

  currentRef(plane: Plane = this.ui.activePlane): SliceRef {
    return { plane, index: this.sliceIndex(plane) };
  }

  /** Goes to slice `index` of `plane` (clamped). */
  goToSlice(plane: Plane, index: number): void {
    const c = this.c;
    if (!c) return;
    const n = axesOf(plane).normal;
    const k = Math.min(Math.max(Math.round(index), 0), c.image.size[n] - 1);
    if (k === c.crosshair[n]) return;
    const next: Vec3 = [...c.crosshair];
    next[n] = k;
    c.crosshair = next;
    if (this.polygon && this.polygon.plane === plane) this.polygon = null;
    // The hook follows at once (the draw comes with the next frame).
    this.views[plane].canvas.dataset["slice"] = String(k);
    this.requestRender();
    this.#updateStatus(null);
  }

  moveSlice(plane: Plane, delta: number): void {
    this.goToSlice(plane, this.sliceIndex(plane) + delta);
  }

  setActivePlane(plane: Plane): void {
    if (this.ui.activePlane === plane) return;
    this.ui.activePlane = plane;
    this.requestRender();
  }

  windowDrag(dx: number, dy: number): void {
    const c = this.c;
    if (!c) return;
    c.window = dragWindow(c.window, dx, dy, c.stats.max - c.stats.min);
    this.requestRender(true);
    this.syncToolbar();
  }

  setWindow(w: WindowRange): void {
    if (!this.c) return;
    this.c.window = w;
    this.requestRender(true);
    this.syncToolbar();
    renderInfo(this.#info, this);
  }

  zoomView(plane: Plane, factor: number, x?: number, y?: number): void {
    const view = this.views[plane];
    if (!view.geom) return;
    const vp = view.viewport;
    const zoom = Math.min(Math.max(vp.zoom * factor, 0.25), 32);
    view.viewport = zoomAbout(view.geom, vp, zoom, x ?? vp.cssWidth / 2, y ?? vp.cssHeight / 2);
    this.requestRender();
  }

  pan(plane: Plane, dx: number, dy: number): void {
    const vp = this.views[plane].viewport;
    vp.panX += dx;
    vp.panY += dy;
    this.requestRender();
  }

  resetViews(): void {
    for (const plane of PLANES) {
      const vp = this.views[plane].viewport;
      vp.zoom = 1;
      vp.panX = 0;
      vp.panY = 0;
    }
    this.requestRender();
  }

  /** Pointer over voxel (u, v) of `plane`'s slice (null: left the views): the status line. */
  hover(plane: Plane, uv: [number, number] | null): void {
    const c = this.c;
    if (!c) return;
    if (!uv) {
      this.#updateStatus(null);
      return;
    }
    const a = axesOf(plane);
    const index: Vec3 = [...c.crosshair];
    index[a.u] = uv[0];
    index[a.v] = uv[1];
    this.#updateStatus(index);
  }

  #updateStatus(at: Vec3 | null): void {
    const c = this.c;
    if (!c) return;
    const index = at ?? c.crosshair;
    const [x, y, z] = index;
    const [nx, ny] = c.image.size;
    const flat = x + nx * (y + ny * z);
    const p = indexToPhysical(c.image, index);
    const inRoi = ([1, 2] as Reader[]).filter(
      (r) => this.ui.show[r] && c.usable[r] && c.masks[r]!.data[flat] === c.label,
    );
    const parts = [
      `${at ? "Pointer" : "Crosshair"} voxel (${x}, ${y}, ${z})`,
      `value ${formatValue(c.image.data[flat]!)}`,
    ];
    // The feature map's value (shown maps only): "map —" where it has none (outside the ROI).
    let mapValue = "";
    if (this.#map && this.ui.mapShow) {
      const m = this.#map.volume.data[flat]!;
      const finite = m - m === 0;
      if (finite) mapValue = String(m);
      parts.push(`map ${finite ? formatValue(m) : "—"}`);
    }
    parts.push(`LPS (${p.map((v) => v.toFixed(1)).join(", ")}) mm`);
    if (inRoi.length > 0) parts.push(`in ROI of ${inRoi.map((r) => `reader ${r}`).join(" and ")}`);
    this.#status.textContent = parts.join(" · ");
    this.#status.dataset["mapValue"] = mapValue;
  }

  // ---- settings ----------------------------------------------------------------------------

  setTool(tool: Tool): void {
    if (tool !== "navigate" && this.editBlocked()) {
      this.showError(this.editBlocked()!);
      return;
    }
    this.ui.tool = tool;
    if (tool !== "polygon") this.polygon = null;
    if (tool !== "brush" && tool !== "erase") this.brushHover = null;
    this.root.dataset["tool"] = tool;
    this.syncToolbar();
    this.requestRender();
  }

  setReader(reader: Reader): void {
    if (this.ui.reader === reader) return;
    this.polygon = null;
    this.ui.reader = reader;
    // Second reading is blinded: reader 2 starts without reader 1's ROI (it can be shown again).
    if (reader === 2) this.ui.show[1] = false;
    else this.ui.show[1] = true;
    this.ui.show[reader] = true;
    // The map was computed on the other reader's ROI (and would show it to a blinded reader).
    this.#clearMap();
    if (this.c) editing.checkLargest(this);
    this.requestRender(true);
    this.renderWarnings();
    renderInfo(this.#info, this);
    this.syncToolbar();
  }

  setShow(reader: Reader, show: boolean): void {
    this.ui.show[reader] = show;
    this.requestRender(true);
    this.syncToolbar();
    this.#updateStatus(null);
  }

  setMode(mode: DrawMode): void {
    this.ui.mode = mode;
    if (this.c) {
      editing.checkLargest(this);
      this.renderWarnings();
    }
    this.syncToolbar();
  }

  /** Why the active reader's mask cannot be edited, or null. */
  editBlocked(): string | null {
    const c = this.c;
    if (!c) return "No case is open.";
    const r = this.ui.reader;
    if (c.masks[r] && !c.usable[r]) {
      return `Reader ${r}'s mask for ${c.title} is not on the image grid (${c.masks[r]!.size.join(" x ")} voxels, image ${c.image.size.join(" x ")}): it cannot be shown or edited.`;
    }
    return null;
  }

  /** The active reader's mask, created empty on the image grid when missing; null when blocked. */
  editableMask(): Volume<Uint8Array> | null {
    const c = this.c;
    if (!c) return null;
    const blocked = this.editBlocked();
    if (blocked) {
      this.showError(blocked);
      return null;
    }
    const r = this.ui.reader;
    if (!c.masks[r]) {
      c.masks[r] = emptyMaskLike(c.image);
      c.usable[r] = true;
    }
    return c.masks[r]!;
  }

  // ---- feature maps ---------------------------------------------------------------------------

  /** The feature map's state (also the root's data-map-state when the host computes maps). */
  get mapState(): MapState {
    return this.#mapState;
  }

  /** The map shown or computed last (null: none). */
  get featureMap(): FeatureMap | null {
    return this.#map;
  }

  #setMapState(state: MapState): void {
    this.#mapState = state;
    if (this.host.featureMaps) this.root.dataset["mapState"] = state;
  }

  /** Drops the map and any computation in flight (state "none"). */
  #clearMap(): void {
    this.#mapToken++;
    const had = this.#map !== null;
    this.#map = null;
    if (this.#mapState !== "none") this.#setMapState("none");
    this.#renderLegend();
    if (had) {
      this.requestRender(true);
      this.#updateStatus(null);
    }
    this.syncToolbar();
  }

  setMapShow(show: boolean): void {
    this.ui.mapShow = show;
    this.#renderLegend();
    this.syncToolbar();
    if (this.#map) {
      this.requestRender(true);
      this.#updateStatus(null);
    }
  }

  /**
   * Computes the toolbar's feature map (feature, kernel radius) on the active reader's ROI of the
   * open case: pending mask edits are saved first (the host computes from what saveMask got);
   * a case or reader switch meanwhile discards the result.
   */
  async computeMap(): Promise<void> {
    const support = this.host.featureMaps;
    const controls = this.toolbar.map;
    const c = this.c;
    if (!support || !controls || !c || this.state !== "ready") return;
    if (this.#mapState === "computing") return;
    const feature = controls.feature.value;
    const radius = Number(controls.radius.value);
    const reader = this.ui.reader;
    if (!feature) return;
    const token = ++this.#mapToken;
    this.#setMapState("computing");
    this.syncToolbar();
    const what = `the ${feature} map (kernel radius ${radius}) on reader ${reader}'s ROI of ${c.title}`;
    let volume: Volume<Float64Array>;
    try {
      await this.flushSaves();
      if (token !== this.#mapToken) return;
      const roi = c.roi[reader];
      if (!c.masks[reader] || (c.usable[reader] && roi && roi.voxels === 0)) {
        throw new Error(`reader ${reader} has no ROI on this case: draw one first`);
      }
      volume = await support.compute(c.ref, feature, radius, reader);
    } catch (error) {
      if (token === this.#mapToken && !this.#destroyed) {
        this.#mapFailed(`Could not compute ${what}: ${message(error)}`);
      }
      return;
    }
    if (token !== this.#mapToken || this.c !== c || this.#destroyed) return;
    let map: FeatureMap;
    try {
      map = checkedFeatureMap(
        c.image,
        c.ref,
        { feature, radius, reader },
        volume,
        this.ui.mapOpacity,
      );
    } catch (error) {
      this.#mapFailed(`Could not show ${what}: ${message(error)}`);
      return;
    }
    this.#map = map;
    this.ui.mapShow = true;
    this.#setMapState("ready");
    this.#renderLegend();
    this.syncToolbar();
    this.requestRender(true);
    this.#updateStatus(null);
  }

  #renderLegend(): void {
    renderMapLegend(this.#legend, this.#map, this.ui.mapShow);
  }

  #mapFailed(text: string): void {
    const had = this.#map !== null;
    this.#map = null;
    this.#setMapState("error");
    this.#renderLegend();
    this.syncToolbar();
    if (had) {
      this.requestRender(true);
      this.#updateStatus(null);
    }
    this.showError(text);
  }

  // ---- edits and saving ------------------------------------------------------------------------

  /** Records an applied edit action of the active reader, re-renders, schedules the save. */
  afterEdit(edits: SliceEdit | SliceEdit[] | null): void {
    const c = this.c;
    if (!c) return;
    const list = edits === null ? [] : Array.isArray(edits) ? edits : [edits];
    if (list.length === 0) return;
    c.histories[this.ui.reader].push(list);
    this.maskChanged(this.ui.reader);
  }

  /** The mask of `reader` changed (edit, undo, redo): redraw, warn, save soon. */
  maskChanged(reader: Reader): void {
    const c = this.c;
    if (!c) return;
    this.requestRender(true);
    if (reader === this.ui.reader) editing.checkLargest(this);
    this.renderWarnings();
    this.syncToolbar();
    this.#scheduleSave(reader);
  }

  #scheduleSave(reader: Reader): void {
    const c = this.c;
    if (!c) return;
    c.saves[reader] = "pending";
    const timer = this.#saveTimers[reader];
    if (timer !== null) clearTimeout(timer);
    this.#saveTimers[reader] = setTimeout(() => {
      this.#saveTimers[reader] = null;
      void this.#save(c, reader);
    }, SAVE_DELAY_MS);
    renderInfo(this.#info, this);
  }

  async #save(c: CaseData, reader: Reader): Promise<void> {
    const mask = c.masks[reader];
    if (!mask) return;
    // The debounced bookkeeping: ROI size and the checks.
    this.#updateRoi(c, reader);
    c.checks[reader] = checkImageMask(c.image, mask, c.label);
    c.saves[reader] = "saving";
    if (this.c === c) {
      this.renderWarnings();
      renderInfo(this.#info, this);
    }
    try {
      await this.host.saveMask(c.ref, reader, mask);
      if (c.saves[reader] === "saving") c.saves[reader] = "saved";
    } catch (error) {
      c.saves[reader] = "failed";
      if (!this.#destroyed) {
        this.showError(`Saving reader ${reader}'s mask of ${c.title} failed: ${message(error)}`);
      }
    }
    if (this.c === c && !this.#destroyed) renderInfo(this.#info, this);
  }

  /** Saves now whatever is waiting for its debounce. */
  async flushSaves(): Promise<void> {
    const c = this.c;
    const pending: Promise<void>[] = [];
    for (const r of [1, 2] as Reader[]) {
      const timer = this.#saveTimers[r];
      if (timer === null) continue;
      clearTimeout(timer);
      this.#saveTimers[r] = null;
      if (c) pending.push(this.#save(c, r));
    }
    await Promise.all(pending);
  }

  #updateRoi(c: CaseData, r: Reader): void {
    const m = c.masks[r];
    if (!m || !c.usable[r]) {
      c.roi[r] = null;
      return;
    }
    const counts = sliceLabelCounts(m, "axial", c.label);
    let voxels = 0;
    const slices: number[] = [];
    for (let k = 0; k < counts.length; k++) {
      if (counts[k]! > 0) {
        voxels += counts[k]!;
        slices.push(k);
      }
    }
    c.roi[r] = { voxels, slices };
  }

  // ---- actions, messages -----------------------------------------------------------------------

  action(action: Action): void {
    try {
      editing.runAction(this, action);
    } catch (error) {
      this.showError(message(error));
    }
  }

  autoWindow(): void {
    if (this.c) this.setWindow(autoWindow(this.c.stats));
  }

  fullWindow(): void {
    if (this.c) this.setWindow(fullWindow(this.c.stats));
  }

  showError(text: string): void {
    replace(
      this.#message,
      h("span", null, text),
      h(
        "button",
        {
          type: "button",
          class: "rv-button rv-dismiss",
          title: "Dismiss",
          "aria-label": "Dismiss the message",
          onclick: () => {
            this.#message.hidden = true;
          },
        },
        "×",
      ),
    );
    this.#message.hidden = false;
  }

  /** Re-renders the check list (here and for editing.ts). */
  renderWarnings(): void {
    renderChecks(this.#warnings, this);
  }

  syncToolbar(): void {
    const c = this.c;
    const r = this.ui.reader;
    let segUnavailable: string | null = null;
    if (!c?.dicomFiles) {
      segUnavailable =
        "DICOM-SEG export needs an image loaded from a DICOM series: a SEG references the series' instances. Use Save mask (NRRD) for this image.";
    }
    let windowText = "";
    if (c) {
      const { level, width } = levelWidth(c.window);
      windowText = `W ${formatValue(Number(width.toPrecision(4)))} L ${formatValue(Number(level.toPrecision(4)))}`;
    }
    this.toolbar.sync({
      hasCase: c !== null && this.state === "ready",
      tool: this.ui.tool,
      reader: r,
      show: this.ui.show,
      opacity: this.ui.opacity,
      brushDiameter: this.ui.brushDiameter,
      mode: this.ui.mode,
      canUndo: c?.histories[r].canUndo ?? false,
      canRedo: c?.histories[r].canRedo ?? false,
      segUnavailable,
      editBlocked: c ? this.editBlocked() : "No case is open.",
      windowText,
      map: { state: this.#mapState, show: this.ui.mapShow, opacity: this.ui.mapOpacity },
    });
    this.root.dataset["tool"] = this.ui.tool;
    this.root.dataset["reader"] = String(r);
  }

  /** Info panel refresh (for editing.ts). */
  renderInfo(): void {
    renderInfo(this.#info, this);
  }

  /** The voxel type of the open image (info panel). */
  imageType(): string {
    return this.c ? voxelTypeOf(this.c.image.data) : "";
  }
}
