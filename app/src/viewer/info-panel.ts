/**
 * The fourth cell of the view grid: the case, its image, the window, and each reader's ROI
 * (size, volume, slices, save state).
 */
import { h, replace } from "../ui/dom.js";
import { READER_COLOURS, type Reader } from "./types.js";
import type { Viewer } from "./viewer.js";
import { formatValue } from "./window-level.js";

const SAVE_TEXT = {
  none: "",
  pending: "unsaved changes",
  saving: "saving…",
  saved: "saved",
  failed: "save failed",
} as const;

function row(term: string, ...value: (Node | string)[]): HTMLElement[] {
  return [h("dt", null, term), h("dd", null, ...value)];
}

export function renderInfo(el: HTMLElement, vw: Viewer): void {
  const c = vw.c;
  if (!c) {
    replace(el, h("p", { class: "rv-muted" }, "No case open."));
    return;
  }
  const img = c.image;
  const voxelMl = (img.spacing[0] * img.spacing[1] * img.spacing[2]) / 1000;
  const readers: HTMLElement[] = [];
  for (const r of [1, 2] as Reader[]) {
    const blinded = r === 1 && vw.ui.reader === 2 && !vw.ui.show[1];
    const m = c.masks[r];
    let text: string;
    if (blinded) text = "hidden (blinded second reading)";
    else if (!m) text = "no mask";
    else if (!c.usable[r]) text = "mask not on the image grid";
    else {
      const roi = c.roi[r];
      text =
        roi && roi.voxels > 0
          ? `${roi.voxels} voxels, ${formatValue(Number((roi.voxels * voxelMl).toPrecision(3)))} ml, ${roi.slices.length} axial slice${roi.slices.length === 1 ? "" : "s"}`
          : "empty";
    }
    const save = SAVE_TEXT[c.saves[r]];
    readers.push(
      ...row(
        `Reader ${r}${vw.ui.reader === r ? " (drawing)" : ""}`,
        h("span", { class: "rv-swatch", style: `background:${READER_COLOURS[r].hex}` }),
        text,
        save ? h("span", { class: `rv-save rv-save-${c.saves[r]}` }, ` · ${save}`) : "",
      ),
    );
  }
  replace(
    el,
    h("h2", null, c.title),
    h(
      "dl",
      null,
      row("Size", `${img.size.join(" × ")} voxels`),
      row(
        "Spacing",
        `${img.spacing.map((s) => formatValue(Number(s.toPrecision(4)))).join(" × ")} mm`,
      ),
      row("Voxels", vw.imageType()),
      row("Range", `${formatValue(c.stats.min)} … ${formatValue(c.stats.max)}`),
      row(
        "Window",
        `${formatValue(Number(c.window.lo.toPrecision(4)))} … ${formatValue(Number(c.window.hi.toPrecision(4)))}`,
      ),
      row("ROI label", String(c.label)),
      readers,
      row("Mode", vw.ui.mode === "largest" ? "largest slice only" : "slice by slice (3D)"),
    ),
  );
}
