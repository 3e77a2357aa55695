/**
 * The nomogram calculator panel for clinicians: load a model (radscore's model.json by file
 * picker or drop, "use this study's model", or a generic logistic nomogram — the format is
 * documented in model.ts and in the panel's help), enter one patient (clinical values and the
 * Rad-score, typed or extracted from image + mask files), and read, updated live, the points per
 * predictor, total points, linear predictor and predicted probabilities (our models: clinical,
 * radiomics and nomogram at the training cut-offs, the numbers of `radscore predict`), with the
 * nomogram drawn and the patient's values marked; "Download CSV" saves the patient and its
 * scores. Every failure (a bad file, a failed extraction) is shown in the panel, never thrown.
 */
import type { FrozenModel } from "../../../src/study/frozen-model.js";
import type { NomogramFigure } from "../../../src/study/result.js";
import { download, h, replace } from "../ui/dom.js";
import { nomogramSvg } from "./draw.js";
import {
  type CalcResult,
  type Calculator,
  type FieldIssue,
  fmt,
  GENERIC_EXAMPLE,
  GENERIC_FORMAT_HELP,
  type InputField,
  loadModelText,
  nomogramDrawing,
  patientCsv,
  type RadscoreCalculator,
  radScoreOfFeatures,
  radscoreCalculator,
  readValues,
  resultFigureOf,
  scorePatient,
  withStudyFigure,
} from "./model.js";

export interface NomogramHost {
  /** The model of the study just run in the app, if any (offered as "use this study's model"). */
  currentModel(): FrozenModel | null;
  /**
   * Optional: extract a sequence's features from an image and mask file with the model's
   * parameters (model.extraction[sequence]); returns features suffixed with the sequence as in
   * model.features.
   */
  extract?: (files: {
    image: File;
    mask: File;
    sequence: string;
    paramsText: string | null;
    label: number | null;
  }) => Promise<Record<string, number>>;
  /**
   * Optional: the nomogram figure of that study (result.json `nomogram`: rms axes over the
   * training ranges). With it the drawn nomogram has the study's full axes and the continuous
   * inputs know their range; without it (and for a model.json loaded alone) the axes are drawn
   * from their start to the patient's value. A result.json may also be dropped with a model.json.
   */
  currentNomogramFigure?: () => NomogramFigure | null;
}

const pct = (p: number) => `${fmt(p * 100, 3)}%`;
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function mountNomogram(root: HTMLElement, host: NomogramHost): { refresh(): void } {
  root.dataset.role = "nomogram";
  root.classList.add("nomo");

  let calc: Calculator | null = null;
  const raw: Record<string, string> = {};
  let patientId = "patient";
  let radMode: "direct" | "images" = "direct";
  let images: Record<string, { image: File | null; mask: File | null }> = {};
  let extracted: { features: Record<string, number>; radScore: number } | null = null;
  let extracting = false;
  let extractMessage: { text: string; error: boolean } | null = null;
  let imagesUi: {
    calc: RadscoreCalculator;
    el: HTMLElement;
    button: HTMLButtonElement;
    note: HTMLElement;
  } | null = null;
  let fieldMessages: Record<string, HTMLElement> = {};
  let lastCsv: { name: string; text: string } | null = null;

  // ----- loading ------------------------------------------------------------------------------
  const status = h("p", { class: "nomo-status", role: "status" });
  let loadedMessage = "";
  const showStatus = (text: string, error = false) => {
    status.className = error ? "nomo-status nomo-error" : "nomo-status";
    status.setAttribute("role", error ? "alert" : "status");
    replace(status, text);
  };

  const setCalculator = (next: Calculator) => {
    calc = next;
    extracted = null;
    images = {};
    imagesUi = null;
    extractMessage = null;
    radMode = "direct";
    for (const f of next.fields)
      if (f.kind === "choice" && raw[f.name] !== undefined && !f.levels.includes(raw[f.name]!))
        delete raw[f.name];
    const what = next.kind === "radscore" ? "radscore model" : "logistic nomogram";
    loadedMessage = `Loaded ${what} “${next.title}” from ${next.source}.`;
    if (next.kind === "radscore" && next.figure) loadedMessage += " Nomogram axes from the study.";
    showStatus(loadedMessage);
    renderForm();
    update();
  };

  /** Attaches a study's nomogram figure to the loaded radscore model (an error if it is not). */
  const attachFigure = (figure: NomogramFigure, source: string) => {
    if (calc?.kind !== "radscore")
      throw new Error(`${source} gives a study's nomogram axes: load its model.json first`);
    calc = withStudyFigure(calc, figure, source);
    renderForm();
    update();
  };

  /** Loads dropped / chosen files: a model first, then a result.json's nomogram axes. */
  const loadFiles = async (files: File[]) => {
    const read: { file: File; raw: unknown; text: string }[] = [];
    for (const file of files) {
      try {
        const text = await file.text();
        let raw: unknown = null;
        try {
          raw = JSON.parse(text);
        } catch {
          raw = null; // loadModelText reports it
        }
        read.push({ file, raw, text });
      } catch (err) {
        showStatus(`Could not read ${file.name}: ${errorText(err)}`, true);
        return;
      }
    }
    const figures = read.filter((r) => resultFigureOf(r.raw) !== null);
    const models = read.filter((r) => resultFigureOf(r.raw) === null);
    try {
      if (models.length > 1) throw new Error("drop one model file at a time");
      const m = models[0];
      if (m) setCalculator(loadModelText(m.text, m.file.name));
    } catch (err) {
      showStatus(`Could not load ${models[0]!.file.name}: ${errorText(err)}`, true);
      return;
    }
    for (const f of figures) {
      try {
        attachFigure(resultFigureOf(f.raw)!, f.file.name);
        showStatus(`${loadedMessage} Nomogram axes from ${f.file.name}.`);
      } catch (err) {
        showStatus(`Could not use ${f.file.name}: ${errorText(err)}`, true);
      }
    }
  };

  const useStudy = () => {
    try {
      const m = host.currentModel();
      if (!m) {
        showStatus("No study has been run in this session yet.", true);
        return;
      }
      let next = radscoreCalculator(m, "this study");
      let figureNote = "";
      try {
        const fig = host.currentNomogramFigure?.() ?? null;
        if (fig) next = withStudyFigure(next, fig, "the study's nomogram");
      } catch (err) {
        figureNote = ` (its nomogram axes are not used: ${errorText(err)})`;
      }
      setCalculator(next);
      if (figureNote) showStatus(`${loadedMessage}${figureNote}`);
    } catch (err) {
      showStatus(`Could not use this study's model: ${errorText(err)}`, true);
    }
  };

  const fileInput = h("input", {
    type: "file",
    accept: ".json,application/json",
    multiple: true,
    class: "nomo-file",
    onchange: () => {
      const files = [...(fileInput.files ?? [])];
      fileInput.value = "";
      if (files.length > 0) void loadFiles(files);
    },
  });
  const studyButton = h(
    "button",
    { type: "button", "data-action": "use-study-model", onclick: useStudy },
    "Use this study's model",
  );
  const dropZone = h(
    "div",
    { class: "nomo-drop" },
    "Drop a model.json (with its result.json for the full nomogram axes) or a logistic nomogram JSON here, or ",
    h("label", { class: "nomo-pick" }, "choose a file", fileInput),
    ".",
  );
  root.addEventListener("dragover", (e: DragEvent) => {
    e.preventDefault();
    dropZone.classList.add("nomo-drop-active");
  });
  root.addEventListener("dragleave", (e: DragEvent) => {
    if (e.target === root || e.target === dropZone) dropZone.classList.remove("nomo-drop-active");
  });
  root.addEventListener("drop", (e: DragEvent) => {
    e.preventDefault();
    dropZone.classList.remove("nomo-drop-active");
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length > 0) void loadFiles(files);
    else showStatus("Drop a JSON model file.", true);
  });

  const help = h(
    "details",
    { class: "nomo-help" },
    h("summary", null, "Which model files? (format help)"),
    h("pre", null, GENERIC_FORMAT_HELP),
    h(
      "button",
      {
        type: "button",
        onclick: () =>
          download(
            "logistic-nomogram-example.json",
            `${JSON.stringify(GENERIC_EXAMPLE, null, 2)}\n`,
            "application/json",
          ),
      },
      "Download the example",
    ),
  );

  const formBox = h("div", { class: "nomo-form" });
  const outBox = h("div", { class: "nomo-output", "aria-live": "polite" });

  replace(
    root,
    h("h2", null, "Nomogram calculator"),
    h(
      "p",
      { class: "nomo-intro" },
      "Score one patient with a frozen model: the points, total points and predicted probability update as you type. Nothing leaves this computer.",
    ),
    h("div", { class: "nomo-load" }, dropZone, studyButton),
    help,
    status,
    formBox,
    outBox,
  );

  // ----- form ---------------------------------------------------------------------------------
  const fieldHint = (f: InputField): string | null => {
    if (f.range) return `training range ${fmt(f.range[0])}–${fmt(f.range[1])}`;
    if (f.axisRange) return `nomogram axis ${fmt(f.axisRange[0])}–${fmt(f.axisRange[1])}`;
    if (f.axisStart !== null) return `nomogram axis starts at ${fmt(f.axisStart)}`;
    if (f.role === "clinical") return "clinical model only";
    return null;
  };

  const fieldInput = (f: InputField): HTMLElement => {
    const id = `nomo-field-${f.name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    const onInput = (e: Event) => {
      raw[f.name] = (e.target as HTMLInputElement | HTMLSelectElement).value;
      update();
    };
    const control =
      f.kind === "choice"
        ? h(
            "select",
            { id, name: f.name, onchange: onInput },
            h("option", { value: "" }, "— choose —"),
            f.levels.map((l, k) =>
              h("option", { value: l, selected: raw[f.name] === l }, f.labels[k] ?? l),
            ),
          )
        : h("input", {
            id,
            name: f.name,
            type: "text",
            inputmode: "decimal",
            autocomplete: "off",
            value: raw[f.name] ?? "",
            oninput: onInput,
          });
    const msg = h("span", { class: "nomo-msg" });
    fieldMessages[f.name] = msg;
    const hint = fieldHint(f);
    return h(
      "div",
      { class: "nomo-field", "data-field": f.name },
      h("label", { for: id }, f.label),
      control,
      hint ? h("span", { class: "nomo-hint" }, hint) : null,
      msg,
    );
  };

  // The image + mask pickers of the loaded model are built once per model and moved between
  // renders (imagesUi), so that the chosen files stay in their inputs.

  const syncImagesUi = () => {
    if (!imagesUi) return;
    const c = imagesUi.calc;
    const ready = c.sequences.every((s) => images[s]?.image && images[s]?.mask);
    imagesUi.button.disabled = extracting || !ready;
    replace(imagesUi.button, extracting ? "Extracting…" : "Extract features");
    imagesUi.note.className = extractMessage?.error ? "nomo-msg nomo-error" : "nomo-msg";
    replace(
      imagesUi.note,
      extractMessage?.text ?? (ready ? "" : "Choose an image and a mask for each sequence."),
    );
  };

  const imagesBlock = (c: RadscoreCalculator): HTMLElement => {
    if (imagesUi?.calc === c) return imagesUi.el;
    const rows = c.sequences.map((seq) => {
      const slot = { image: null as File | null, mask: null as File | null };
      images[seq] = slot;
      const picker = (which: "image" | "mask") =>
        h(
          "label",
          { class: "nomo-pick" },
          `${which} `,
          h("input", {
            type: "file",
            "data-sequence": seq,
            "data-kind": which,
            onchange: (e: Event) => {
              slot[which] = (e.target as HTMLInputElement).files?.[0] ?? null;
              extracted = null;
              extractMessage = null;
              syncImagesUi();
              update();
            },
          }),
        );
      return h(
        "div",
        { class: "nomo-seq" },
        h("strong", null, seq),
        picker("image"),
        picker("mask"),
      );
    });
    const button = h(
      "button",
      { type: "button", "data-action": "extract-features", onclick: () => void runExtraction(c) },
      "Extract features",
    );
    const note = h("span", { class: "nomo-msg" });
    const el = h("div", { class: "nomo-images" }, rows, h("div", null, button, " ", note));
    imagesUi = { calc: c, el, button, note };
    syncImagesUi();
    return el;
  };

  const radscoreBlock = (c: RadscoreCalculator, f: InputField): HTMLElement => {
    const canExtract = host.extract !== undefined && c.sequences.length > 0;
    if (!canExtract) return fieldInput(f);
    const modeRadio = (mode: "direct" | "images", text: string) =>
      h(
        "label",
        { class: "nomo-mode" },
        h("input", {
          type: "radio",
          name: "nomo-radmode",
          value: mode,
          checked: radMode === mode,
          onchange: () => {
            radMode = mode;
            renderForm();
            update();
          },
        }),
        text,
      );
    const block = h(
      "fieldset",
      { class: "nomo-radscore", "data-field": f.name },
      h("legend", null, "Rad-score"),
      h(
        "div",
        null,
        modeRadio("direct", "Enter the Rad-score"),
        modeRadio("images", "Compute it from image + mask files"),
      ),
    );
    if (radMode === "direct") {
      block.append(fieldInput(f));
      return block;
    }
    const msg = h("span", { class: "nomo-msg" });
    fieldMessages[f.name] = msg;
    block.append(imagesBlock(c), msg);
    return block;
  };

  const runExtraction = async (c: RadscoreCalculator) => {
    const extract = host.extract;
    if (!extract || extracting) return;
    extracting = true;
    extracted = null;
    extractMessage = { text: "Extracting…", error: false };
    syncImagesUi();
    update();
    try {
      const features: Record<string, number> = {};
      for (const seq of c.sequences) {
        const slot = images[seq];
        if (!slot?.image || !slot.mask) throw new Error(`choose the ${seq} image and mask`);
        extractMessage = { text: `Extracting ${seq}…`, error: false };
        syncImagesUi();
        const ex = c.model.extraction?.[seq];
        const got = await extract({
          image: slot.image,
          mask: slot.mask,
          sequence: seq,
          paramsText: ex?.paramsText ?? null,
          label: ex?.label ?? null,
        });
        // Features carry the sequence suffix as in model.features; add it if the host did not.
        const suffix = `_${seq}`;
        const suffixed = Object.keys(got).some((k) => k.endsWith(suffix));
        for (const [k, v] of Object.entries(got)) features[suffixed ? k : `${k}${suffix}`] = v;
      }
      if (calc !== c) return; // another model was loaded meanwhile
      const radScore = radScoreOfFeatures(c, features, patientId);
      extracted = { features, radScore };
      extractMessage = { text: `Rad-score from the images: ${fmt(radScore)}`, error: false };
    } catch (err) {
      extractMessage = { text: `Extraction failed: ${errorText(err)}`, error: true };
    } finally {
      extracting = false;
    }
    if (calc === c) {
      syncImagesUi();
      update();
    }
  };

  function renderForm(): void {
    fieldMessages = {};
    const c = calc;
    if (!c) {
      replace(formBox);
      return;
    }
    const idInput = h("input", {
      id: "nomo-patient-id",
      type: "text",
      value: patientId,
      autocomplete: "off",
      oninput: (e: Event) => {
        patientId = (e.target as HTMLInputElement).value;
        update();
      },
    });
    const fields = c.fields.map((f) =>
      c.kind === "radscore" && f.role === "radscore" ? radscoreBlock(c, f) : fieldInput(f),
    );
    replace(
      formBox,
      h("h3", null, c.title),
      h(
        "div",
        { class: "nomo-field" },
        h("label", { for: "nomo-patient-id" }, "Patient ID"),
        idInput,
      ),
      fields,
      h(
        "button",
        {
          type: "button",
          class: "nomo-clear",
          onclick: () => {
            for (const k of Object.keys(raw)) delete raw[k];
            renderForm();
            update();
          },
        },
        "Clear values",
      ),
    );
  }

  // ----- output -------------------------------------------------------------------------------
  const showIssues = (issues: FieldIssue[], entered: (name: string) => boolean) => {
    for (const [name, el] of Object.entries(fieldMessages)) {
      const mine = issues.filter(
        (i) => i.field === name && (entered(name) || i.severity !== "error"),
      );
      el.className = mine.some((i) => i.severity === "error")
        ? "nomo-msg nomo-error"
        : mine.length > 0
          ? "nomo-msg nomo-warning"
          : "nomo-msg";
      replace(el, mine.map((i) => i.message).join("; "));
    }
  };

  const numberOut = (role: string, value: number | null, text: string) =>
    h("output", { "data-role": role, "data-value": value === null ? null : String(value) }, text);

  function renderResult(c: Calculator, result: CalcResult | null, missing: string[]): void {
    const ev = c.outcome.eventLabel;
    const summary = h(
      "div",
      { class: "nomo-summary" },
      h(
        "div",
        { class: "nomo-big" },
        h("span", null, `Predicted probability of ${ev}: `),
        numberOut(
          "probability",
          result ? result.probability : null,
          result ? `${fmt(result.probability, 3)} (${pct(result.probability)})` : "—",
        ),
      ),
      h(
        "div",
        null,
        h("span", null, "Total points: "),
        numberOut(
          "total-points",
          result?.totalPoints ?? null,
          result
            ? result.totalPoints === null
              ? "— (no points scale: the model gives no min / max for a continuous predictor)"
              : fmt(result.totalPoints, 4)
            : "—",
        ),
        h("span", { class: "nomo-sep" }, " · "),
        h("span", null, "Linear predictor: "),
        numberOut(
          "linear-predictor",
          result ? result.linearPredictor : null,
          result ? fmt(result.linearPredictor, 4) : "—",
        ),
        result?.radScore !== undefined
          ? [
              h("span", { class: "nomo-sep" }, " · "),
              h("span", null, "Rad-score: "),
              numberOut("radscore", result.radScore, fmt(result.radScore, 4)),
            ]
          : null,
      ),
    );
    if (!result) {
      replace(
        outBox,
        summary,
        h(
          "p",
          { class: "nomo-missing" },
          missing.length > 0 ? `To score the patient, complete: ${missing.join(", ")}.` : "",
        ),
      );
      lastCsv = null;
      return;
    }
    const parts: (HTMLElement | null)[] = [summary];
    if (result.models) {
      const label = (m: string) =>
        m === "clinical" ? "Clinical" : m === "radiomics" ? "Radiomics (Rad-score)" : "Nomogram";
      parts.push(
        h(
          "table",
          { class: "nomo-table", "data-role": "models" },
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              h("th", null, "Model"),
              h("th", null, `P(${ev})`),
              h("th", null, "Training cut-off"),
              h("th", null, "Classified as"),
            ),
          ),
          h(
            "tbody",
            null,
            result.models.map((m) =>
              h(
                "tr",
                { "data-model": m.model },
                h("td", null, label(m.model)),
                h("td", { class: "num" }, fmt(m.probability, 4)),
                h(
                  "td",
                  { class: "num" },
                  m.model === "radiomics"
                    ? `Rad-score ≥ ${fmt(m.threshold, 4)}`
                    : `P ≥ ${fmt(m.threshold, 4)}`,
                ),
                h(
                  "td",
                  { class: m.predicted ? "nomo-event" : "" },
                  m.predicted ? ev : c.outcome.noneventLabel,
                ),
              ),
            ),
          ),
        ),
      );
    } else {
      parts.push(h("p", null, `P(${c.outcome.noneventLabel}) = ${fmt(1 - result.probability, 4)}`));
    }
    if (result.points) {
      parts.push(
        h(
          "table",
          { class: "nomo-table", "data-role": "points" },
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              h("th", null, "Predictor"),
              h("th", null, "Value"),
              h("th", null, "Points"),
            ),
          ),
          h(
            "tbody",
            null,
            result.points.map((p) =>
              h(
                "tr",
                { "data-predictor": p.name },
                h("td", null, p.label),
                h("td", null, /^-?\d/.test(p.value) ? fmt(Number(p.value)) : p.value),
                h("td", { class: "num" }, fmt(p.points, 4)),
              ),
            ),
          ),
          h(
            "tfoot",
            null,
            h(
              "tr",
              null,
              h("th", null, "Total points"),
              h("td", null),
              h("td", { class: "num" }, fmt(result.totalPoints ?? 0, 4)),
            ),
          ),
        ),
      );
    }
    parts.push(figure(c, result));
    lastCsv = { name: `${safeName(patientId)}-scores.csv`, text: "" };
    try {
      lastCsv.text = patientCsv(c, patientId, currentValues, result);
    } catch {
      lastCsv = null;
    }
    parts.push(
      h(
        "button",
        {
          type: "button",
          class: "nomo-download",
          disabled: lastCsv === null,
          onclick: () => {
            if (lastCsv) download(lastCsv.name, lastCsv.text, "text/csv");
          },
        },
        "Download CSV",
      ),
    );
    replace(outBox, ...parts);
  }

  const figure = (c: Calculator, result: CalcResult | null): HTMLElement | null => {
    try {
      const d = nomogramDrawing(c, result);
      if (!d) return null;
      const doc = new DOMParser().parseFromString(nomogramSvg(d), "image/svg+xml");
      const wrap = h("div", { class: "nomo-figure-wrap" });
      wrap.append(document.importNode(doc.documentElement, true));
      return wrap;
    } catch (err) {
      return h("p", { class: "nomo-error" }, `The nomogram could not be drawn: ${errorText(err)}`);
    }
  };

  const safeName = (s: string) => s.trim().replace(/[^A-Za-z0-9._-]+/g, "_") || "patient";

  let currentValues: Record<string, number | string> = {};

  function update(): void {
    const c = calc;
    if (!c) {
      replace(outBox);
      return;
    }
    try {
      const fromImages = c.kind === "radscore" && radMode === "images";
      const skip = fromImages ? [c.model.radscoreName] : [];
      const read = readValues(c, raw, skip);
      const issues = [...read.issues];
      if (fromImages && !extracted)
        issues.push({
          field: c.model.radscoreName,
          severity: "error",
          message: "choose the files and extract the features",
        });
      showIssues(issues, (name) => (raw[name] ?? "").trim() !== "");
      currentValues = read.values;
      const missing = c.fields
        .filter((f) => issues.some((i) => i.field === f.name && i.severity === "error"))
        .map((f) => f.label);
      if (missing.length > 0) {
        renderResult(c, null, missing);
        return;
      }
      const result = scorePatient(
        c,
        read.values,
        patientId.trim() || "patient",
        fromImages && extracted ? extracted.features : undefined,
      );
      renderResult(c, result, []);
    } catch (err) {
      replace(outBox, h("p", { class: "nomo-error", role: "alert" }, errorText(err)));
      lastCsv = null;
    }
  }

  // ----- refresh ------------------------------------------------------------------------------
  const refresh = () => {
    let has = false;
    try {
      has = host.currentModel() !== null;
    } catch {
      has = false;
    }
    studyButton.disabled = !has;
    studyButton.title = has
      ? "Score patients with the model of the study just run"
      : "Run a study first (or load a model.json)";
  };
  refresh();
  showStatus("No model loaded yet.");
  return { refresh };
}
