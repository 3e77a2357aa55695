/**
 * The viewer's feature map: the host's computed map checked against the open image's grid (a
 * map on another grid is an error, never a shifted overlay), and its legend (feature, kernel
 * radius, reader, viridis colour bar over the 1st-99th percentile range).
 */
import type { Volume } from "../../../src/image/volume.js";
import { h, replace } from "../ui/dom.js";
import { type MapRange, mapRange, VIRIDIS_LUT, viridisGradient } from "./heat.js";
import type { HeatLayer } from "./render.js";
import type { CaseRef, Reader } from "./types.js";
import { formatValue } from "./window-level.js";

/** A computed feature map of the open case. */
export interface FeatureMap {
  ref: CaseRef;
  feature: string;
  radius: number;
  reader: Reader;
  volume: Volume<Float64Array | Float32Array>;
  range: MapRange;
  layer: HeatLayer;
}

/** The legend's colour bar (the viridis anchors as a CSS gradient). */
const MAP_GRADIENT = viridisGradient();

/** The host's map as a FeatureMap, after checking it lies on the image's grid. */
export function checkedFeatureMap(
  image: Volume,
  ref: CaseRef,
  what: { feature: string; radius: number; reader: Reader },
  volume: Volume<Float64Array>,
  opacity: number,
): FeatureMap {
  const data: unknown = volume?.data;
  if (!(data instanceof Float64Array || data instanceof Float32Array)) {
    throw new Error("the host returned no Float64Array voxel data");
  }
  const [nx, ny, nz] = image.size;
  const size = Array.isArray(volume.size) ? volume.size : [];
  if (size.length < 3 || size.some((n, i) => i < 3 && n !== image.size[i])) {
    throw new Error(
      `the map is ${size.join(" x ")} voxels but the image ${image.size.join(" x ")}`,
    );
  }
  if (data.length !== nx * ny * nz) {
    throw new Error(`the map holds ${data.length} voxels but the image ${nx * ny * nz}`);
  }
  const range = mapRange(data);
  return {
    ref,
    ...what,
    volume,
    range,
    layer: { data, lo: range.lo, hi: range.hi, lut: VIRIDIS_LUT, alpha: opacity },
  };
}

/** The legend: feature, colour bar and its range (hidden without a shown map). */
export function renderMapLegend(el: HTMLElement, map: FeatureMap | null, show: boolean): void {
  if (!map || !show) {
    el.hidden = true;
    el.replaceChildren();
    for (const key of ["feature", "min", "max"]) delete el.dataset[key];
    return;
  }
  const { lo, hi, finite } = map.range;
  el.dataset["feature"] = map.feature;
  el.dataset["min"] = finite > 0 ? String(lo) : "";
  el.dataset["max"] = finite > 0 ? String(hi) : "";
  replace(
    el,
    h(
      "div",
      { class: "rv-map-title" },
      h("strong", null, map.feature),
      h("span", { class: "rv-muted" }, ` · r ${map.radius} · reader ${map.reader} ROI`),
    ),
    finite > 0
      ? [
          h("div", {
            class: "rv-map-bar",
            style: `background:${MAP_GRADIENT}`,
            role: "img",
            "aria-label": `viridis colour scale from ${formatValue(lo)} to ${formatValue(hi)}`,
          }),
          h(
            "div",
            { class: "rv-map-range" },
            h("span", { "data-role": "map-min" }, formatValue(lo)),
            h("span", { class: "rv-muted" }, "1st–99th percentile"),
            h("span", { "data-role": "map-max" }, formatValue(hi)),
          ),
        ]
      : h("div", { class: "rv-muted" }, "The map has no finite value."),
  );
  el.hidden = false;
}
