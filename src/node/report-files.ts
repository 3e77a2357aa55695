/**
 * Node edge of the study report: writes the report folder
 *   report.html, tables/<id>.csv + tables/<id>.md, figures/<id>.svg + figures/<id>.png
 * Each file is written atomically (temporary file, then rename); report.html is written last, so
 * its presence means the folder is complete. PNGs are rasterised from the SVGs with
 * @resvg/resvg-js at 2× scale, with the system fonts loaded; where no font file is found the PNGs
 * are still written (their text will be missing) and the returned summary says so.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { buildReport } from "../report/html.js";
import type { ReportOptions } from "../report/options.js";
import { tableToCsv, tableToMarkdown } from "../report/tables.js";
import type { StudyResult } from "../study/result.js";
import { writeFileAtomic } from "./atomic.js";

export interface ReportFolderSummary {
  /** Paths written, relative to the folder. */
  files: string[];
  /** Font files resvg could use (0: the PNGs have no text). */
  fontFiles: number;
  /** The sans-serif family the PNGs fall back to, when one of the known families was found. */
  sansSerifFamily: string | null;
  /** Problems that did not stop the report (e.g. no fonts for the PNGs). */
  warnings: string[];
}

export interface ReportFolderOptions extends ReportOptions {
  /** PNG scale relative to the SVG's size (default 2, about 192 dpi for print). */
  pngScale?: number;
}

const FONT_DIRS = (): string[] => {
  const home = homedir();
  const dirs = [
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    join(home, ".local/share/fonts"),
    join(home, ".fonts"),
    "/System/Library/Fonts",
    "/Library/Fonts",
    join(home, "Library/Fonts"),
  ];
  const windir = process.env["WINDIR"];
  if (windir) dirs.push(join(windir, "Fonts"));
  return dirs;
};

/** Font files (.ttf, .otf, .ttc) under the usual system font folders (depth-limited walk). */
export function findSystemFontFiles(dirs: string[] = FONT_DIRS()): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      if (/\.(ttf|otf|ttc)$/i.test(name)) found.push(path);
      else if (depth < 4) {
        try {
          if (statSync(path).isDirectory()) walk(path, depth + 1);
        } catch {
          // unreadable entry: skip
        }
      }
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d, 0);
  return found;
}

/** Sans-serif families, in the order the figures' font stack prefers them, with file-name hints. */
const SANS_FAMILIES: { family: string; file: RegExp }[] = [
  { family: "Helvetica Neue", file: /HelveticaNeue/i },
  { family: "Helvetica", file: /^Helvetica\./i },
  { family: "Arial", file: /^Arial\.|^arial\.ttf$/i },
  { family: "Liberation Sans", file: /^LiberationSans-/i },
  { family: "Nimbus Sans", file: /^NimbusSans-/i },
  { family: "DejaVu Sans", file: /^DejaVuSans\.ttf$/i },
  { family: "Noto Sans", file: /^NotoSans-Regular\./i },
];

export function pickSansSerifFamily(fontFiles: string[]): string | null {
  const names = fontFiles.map((f) => f.split(/[\\/]/).pop()!);
  for (const s of SANS_FAMILIES) if (names.some((n) => s.file.test(n))) return s.family;
  return null;
}

/** Rasterise one SVG to PNG with resvg (white background). */
export function svgToPng(svg: string, scale: number, sansSerifFamily: string | null): Uint8Array {
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: scale },
    font: {
      loadSystemFonts: true,
      ...(sansSerifFamily ? { sansSerifFamily, defaultFontFamily: sansSerifFamily } : {}),
    },
  });
  return resvg.render().asPng();
}

/** Write the complete report folder for a study result. */
export async function writeReportFolder(
  dir: string,
  result: StudyResult,
  options: ReportFolderOptions = {},
): Promise<ReportFolderSummary> {
  const scale = options.pngScale ?? 2;
  if (!(scale > 0 && scale <= 8))
    throw new Error(`writeReportFolder: pngScale ${scale} must be in (0, 8]`);
  const report = await buildReport(result, options);
  const fontFiles = findSystemFontFiles();
  const sansSerifFamily = pickSansSerifFamily(fontFiles);
  const warnings: string[] = [];
  if (fontFiles.length === 0)
    warnings.push(
      "No system font files were found: the PNG figures were written without text (the SVG " +
        "figures and report.html are unaffected). Install a sans-serif font (e.g. DejaVu Sans or " +
        "Liberation Sans) to get labelled PNGs.",
    );
  await mkdir(join(dir, "tables"), { recursive: true });
  await mkdir(join(dir, "figures"), { recursive: true });
  const files: string[] = [];
  const write = async (rel: string, content: string | Uint8Array) => {
    await writeFileAtomic(join(dir, rel), content);
    files.push(rel);
  };
  for (const t of report.tables) {
    await write(`tables/${t.id}.csv`, tableToCsv(t));
    await write(`tables/${t.id}.md`, tableToMarkdown(t));
  }
  for (const f of report.figures) {
    await write(`figures/${f.id}.svg`, f.svg);
    let png: Uint8Array;
    try {
      png = svgToPng(f.svg, scale, sansSerifFamily);
    } catch (err) {
      throw new Error(`figure '${f.id}': PNG rendering failed: ${(err as Error).message}`);
    }
    await write(`figures/${f.id}.png`, png);
  }
  await write("report.html", report.html);
  return { files, fontFiles: fontFiles.length, sansSerifFamily, warnings };
}
