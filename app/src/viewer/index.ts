/**
 * The slice viewer and ROI editor of the radscore app: three linked planes with window / level,
 * zoom, pan and crosshair, both readers' ROI overlays, polygon / brush / eraser drawing with fill
 * holes, copy, interpolation and undo, geometry checks, and NRRD / DICOM-SEG export.
 *
 * Pure, DOM-free helpers (unit-testable): transform.ts (display orientation, voxel <-> screen),
 * window-level.ts (statistics, presets, drag), render.ts (slice, feature-map heat and overlays into
 * pixels, outlines), heat.ts (viridis LUT, map colour range, legend gradient), geometry-check.ts
 * (checkImageMask), files.ts (download names).
 *
 * With host.featureMaps, a toolbar group computes a voxel-based feature map of the case (active
 * reader's ROI) and shows it in viridis under the ROI outlines, with a legend and a status readout.
 */
import type { ViewerHandle, ViewerHost } from "./types.js";
import { Viewer } from "./viewer.js";

export { checkImageMask } from "./geometry-check.js";
export type {
  CaseRef,
  FeatureMapSupport,
  LoadedCase,
  MapState,
  OpenCase,
  ViewerHandle,
  ViewerHost,
} from "./types.js";

/** Mounts the viewer into `root` (its content is replaced); `host` supplies cases and stores masks. */
export function mountViewer(root: HTMLElement, host: ViewerHost): ViewerHandle {
  const viewer = new Viewer(root, host);
  return {
    open: (ref) => viewer.open(ref),
    current: () => {
      const c = viewer.state === "ready" ? viewer.c : null;
      return c && { ref: c.ref, title: c.title, image: c.image, masks: { ...c.masks } };
    },
    refresh: () => viewer.refresh(),
    destroy: () => viewer.destroy(),
  };
}
