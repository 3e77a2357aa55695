/**
 * One plane's canvas: renders the current slice (window / level, feature map and ROI fill into
 * one reused ImageData, drawn scaled without smoothing), the ROI outlines, the crosshair, the
 * polygon being drawn and the brush cursor, and publishes the test hooks (data-slice,
 * data-scale-*, data-origin-*) after each draw.
 */
import type { Vec3, Volume } from "../../../src/image/volume.js";
import { h } from "../ui/dom.js";
import { type HeatLayer, type OverlayLayer, outlineSegments, renderSlice } from "./render.js";
import {
  axesOf,
  type DisplayGeometry,
  displayGeometry,
  type Plane,
  type ScreenMapping,
  screenMapping,
  type Viewport,
  voxelToScreen,
} from "./transform.js";
import type { WindowRange } from "./window-level.js";

/** What the views draw: owned by the viewer, read on each draw. */
export interface Scene {
  image: Volume;
  window: WindowRange;
  /** The feature map drawn over the grey, under the ROI fills and outlines (null: none shown). */
  heat?: HeatLayer | null;
  /** Visible overlays, each with its outline colour. */
  overlays: { layer: OverlayLayer; outline: string }[];
  crosshair: Vec3;
  showCrosshair: boolean;
  /** The polygon being drawn, in slice coordinates of its plane and slice. */
  polygon: {
    plane: Plane;
    index: number;
    points: [number, number][];
    hover: [number, number] | null;
  } | null;
  /** The brush outline under the pointer (brush / eraser tools). */
  brush: {
    plane: Plane;
    at: [number, number];
    radiusMm: number;
    colour: string;
    erase: boolean;
  } | null;
  /** The plane whose view has the keyboard (highlighted). */
  activePlane: Plane;
}

const VIEW_NAMES: Record<Plane, string> = {
  axial: "Axial",
  coronal: "Coronal",
  sagittal: "Sagittal",
};
const CROSSHAIR = "rgba(0, 158, 115, 0.9)"; // Okabe-Ito bluish green
const POLYGON = "#F0E442"; // Okabe-Ito yellow

export class SliceView {
  readonly plane: Plane;
  readonly element: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  readonly label: HTMLDivElement;
  viewport: Viewport = { cssWidth: 0, cssHeight: 0, zoom: 1, panX: 0, panY: 0 };
  geom: DisplayGeometry | null = null;
  mapping: ScreenMapping | null = null;
  /** Voxels of each visible overlay on the displayed slice (after the last render). */
  sliceCounts: number[] = [];

  #ctx: CanvasRenderingContext2D | null;
  #buffer = document.createElement("canvas");
  #bufferCtx: CanvasRenderingContext2D | null;
  #imageData: ImageData | null = null;
  #pixels: Uint32Array | null = null;
  #renderedIndex = -1;
  #contentDirty = true;
  #outlines: { segments: Float32Array; colour: string }[] = [];

  constructor(plane: Plane) {
    this.plane = plane;
    this.canvas = h("canvas", {
      "data-plane": plane,
      role: "img",
      "aria-label": `${VIEW_NAMES[plane]} slice`,
    });
    this.label = h("div", { class: "rv-view-label", "aria-hidden": "true" });
    this.element = h(
      "div",
      {
        class: "rv-view",
        "data-view": plane,
        tabindex: 0,
        role: "group",
        "aria-label": `${VIEW_NAMES[plane]} view: arrow keys change the slice`,
      },
      this.canvas,
      this.label,
    );
    this.#ctx = this.canvas.getContext("2d");
    this.#bufferCtx = this.#buffer.getContext("2d");
  }

  /** A new image: new display geometry, zoom and pan reset. */
  setImage(image: Volume): void {
    this.geom = displayGeometry(image.size, image.spacing, image.direction, this.plane);
    this.viewport = { ...this.viewport, zoom: 1, panX: 0, panY: 0 };
    const { cols, rows } = this.geom;
    this.#buffer.width = cols;
    this.#buffer.height = rows;
    this.#imageData = this.#bufferCtx?.createImageData(cols, rows) ?? null;
    this.#pixels = this.#imageData ? new Uint32Array(this.#imageData.data.buffer) : null;
    this.#contentDirty = true;
  }

  clear(): void {
    this.geom = null;
    this.mapping = null;
    this.#imageData = null;
    this.#pixels = null;
    const ctx = this.#ctx;
    if (ctx) ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.label.textContent = "";
    for (const key of ["slice", "scaleX", "scaleY", "originX", "originY"]) {
      delete this.canvas.dataset[key];
    }
  }

  /** The slice content changed (mask edit, window, overlay toggles): re-render it on the next draw. */
  invalidate(): void {
    this.#contentDirty = true;
  }

  /** The slice index this view shows for a crosshair. */
  sliceOf(crosshair: Vec3): number {
    return crosshair[axesOf(this.plane).normal];
  }

  /** The canvas's CSS size and zoom / pan as a mapping (also used between draws by interaction). */
  updateMapping(): ScreenMapping | null {
    if (!this.geom) return null;
    this.viewport.cssWidth = this.canvas.clientWidth;
    this.viewport.cssHeight = this.canvas.clientHeight;
    this.mapping = screenMapping(this.geom, this.viewport);
    return this.mapping;
  }

  draw(scene: Scene): void {
    const ctx = this.#ctx;
    const geom = this.geom;
    if (!ctx || !geom || !this.#pixels || !this.#imageData) return;
    const index = this.sliceOf(scene.crosshair);
    const image = scene.image;

    // 1. Slice content: only when the slice or its content changed.
    if (this.#contentDirty || index !== this.#renderedIndex) {
      this.sliceCounts = renderSlice(
        this.#pixels,
        image.data,
        image.size,
        geom,
        index,
        scene.window,
        scene.overlays.map((o) => o.layer),
        scene.heat ?? null,
      );
      this.#bufferCtx?.putImageData(this.#imageData, 0, 0);
      this.#outlines = [];
      scene.overlays.forEach((o, k) => {
        if (this.sliceCounts[k]! > 0) {
          this.#outlines.push({
            segments: outlineSegments(o.layer.data, image.size, geom, index, o.layer.label),
            colour: o.outline,
          });
        }
      });
      this.#renderedIndex = index;
      this.#contentDirty = false;
    }

    // 2. Canvas size (device pixels) and mapping.
    const m = this.updateMapping()!;
    const dpr = window.devicePixelRatio || 1;
    const { cssWidth, cssHeight } = this.viewport;
    const pw = Math.max(1, Math.round(cssWidth * dpr));
    const ph = Math.max(1, Math.round(cssHeight * dpr));
    if (this.canvas.width !== pw || this.canvas.height !== ph) {
      this.canvas.width = pw;
      this.canvas.height = ph;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, pw, ph);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.#buffer, m.x0, m.y0, m.drawWidth, m.drawHeight);

    // 3. Vector layers in CSS pixels.
    this.#drawOutlines(ctx, m);
    if (scene.showCrosshair) this.#drawCrosshair(ctx, m, scene.crosshair);
    if (scene.polygon && scene.polygon.plane === this.plane && scene.polygon.index === index) {
      this.#drawPolygon(ctx, m, scene.polygon.points, scene.polygon.hover);
    }
    if (scene.brush && scene.brush.plane === this.plane) {
      const [x, y] = voxelToScreen(m, scene.brush.at[0], scene.brush.at[1]);
      ctx.beginPath();
      ctx.arc(x, y, Math.max(1, scene.brush.radiusMm * m.pxPerMm), 0, 2 * Math.PI);
      ctx.strokeStyle = scene.brush.colour;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(scene.brush.erase ? [4, 3] : []);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    this.#drawLabels(ctx, geom, cssWidth, cssHeight);

    // 4. Label and test hooks.
    const count = image.size[axesOf(this.plane).normal];
    const view = VIEW_NAMES[geom.view];
    this.label.textContent = `${view}${geom.view === this.plane ? "" : ` (${this.plane} index plane)`} · ${index + 1} / ${count}${this.viewport.zoom === 1 ? "" : ` · ${Math.round(this.viewport.zoom * 100)}%`}`;
    this.canvas.setAttribute("aria-label", `${view} slice ${index + 1} of ${count}`);
    this.element.classList.toggle("rv-active", scene.activePlane === this.plane);
    const d = this.canvas.dataset;
    d["slice"] = String(index);
    d["scaleX"] = String(m.scaleX);
    d["scaleY"] = String(m.scaleY);
    d["originX"] = String(m.originX);
    d["originY"] = String(m.originY);
    d["transposed"] = String(m.transposed);
  }

  #drawOutlines(ctx: CanvasRenderingContext2D, m: ScreenMapping): void {
    const { originX: ox, originY: oy, scaleX: sx, scaleY: sy, transposed } = m;
    ctx.lineWidth = 1.5;
    for (const { segments, colour } of this.#outlines) {
      const path = new Path2D();
      for (let i = 0; i < segments.length; i += 4) {
        const a = segments[i]!;
        const b = segments[i + 1]!;
        const c = segments[i + 2]!;
        const e = segments[i + 3]!;
        if (transposed) {
          path.moveTo(ox + b * sx, oy + a * sy);
          path.lineTo(ox + e * sx, oy + c * sy);
        } else {
          path.moveTo(ox + a * sx, oy + b * sy);
          path.lineTo(ox + c * sx, oy + e * sy);
        }
      }
      ctx.strokeStyle = colour;
      ctx.stroke(path);
    }
  }

  #drawCrosshair(ctx: CanvasRenderingContext2D, m: ScreenMapping, c: Vec3): void {
    const a = axesOf(this.plane);
    const [x, y] = voxelToScreen(m, c[a.u], c[a.v]);
    const gap = 10;
    const left = m.x0;
    const right = m.x0 + m.drawWidth;
    const top = m.y0;
    const bottom = m.y0 + m.drawHeight;
    ctx.strokeStyle = CROSSHAIR;
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (x - gap > left) {
      ctx.moveTo(left, y);
      ctx.lineTo(x - gap, y);
    }
    if (x + gap < right) {
      ctx.moveTo(x + gap, y);
      ctx.lineTo(right, y);
    }
    if (y - gap > top) {
      ctx.moveTo(x, top);
      ctx.lineTo(x, y - gap);
    }
    if (y + gap < bottom) {
      ctx.moveTo(x, y + gap);
      ctx.lineTo(x, bottom);
    }
    ctx.stroke();
  }

  #drawPolygon(
    ctx: CanvasRenderingContext2D,
    m: ScreenMapping,
    points: [number, number][],
    hover: [number, number] | null,
  ): void {
    if (points.length === 0) return;
    const screen = points.map(([u, v]) => voxelToScreen(m, u, v));
    const hoverAt = hover ? voxelToScreen(m, hover[0], hover[1]) : null;
    // A dark halo under a yellow line: visible on bright and dark tissue alike.
    for (const [style, width] of [
      ["rgba(0, 0, 0, 0.7)", 3.5],
      [POLYGON, 1.5],
    ] as const) {
      ctx.strokeStyle = style;
      ctx.lineWidth = width;
      ctx.beginPath();
      screen.forEach(([x, y], i) => {
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.stroke();
      if (hoverAt) {
        const [lx, ly] = screen[screen.length - 1]!;
        ctx.setLineDash([4, 4]);
        ctx.beginPath();
        ctx.moveTo(lx, ly);
        ctx.lineTo(hoverAt[0], hoverAt[1]);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }
    screen.forEach(([x, y], i) => {
      ctx.beginPath();
      ctx.arc(x, y, i === 0 ? 5 : 3, 0, 2 * Math.PI);
      ctx.fillStyle = i === 0 ? POLYGON : "#fff";
      ctx.fill();
      ctx.strokeStyle = "rgba(0, 0, 0, 0.7)";
      ctx.lineWidth = 1;
      ctx.stroke();
    });
  }

  #drawLabels(ctx: CanvasRenderingContext2D, geom: DisplayGeometry, w: number, hgt: number): void {
    ctx.fillStyle = "rgba(255, 255, 255, 0.75)";
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    ctx.fillText(geom.labels.left, 4, hgt / 2);
    ctx.textAlign = "right";
    ctx.fillText(geom.labels.right, w - 4, hgt / 2);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText(geom.labels.top, w / 2, 4);
    ctx.textBaseline = "bottom";
    ctx.fillText(geom.labels.bottom, w / 2, hgt - 4);
  }
}
