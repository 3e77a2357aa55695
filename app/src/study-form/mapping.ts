/**
 * The mapping step: which columns of the opened cohort CSV are the patient ID, the centre, the
 * training / test role, the outcome, each sequence's image / mask / second-reader mask and the
 * clinical variables. Defaults are guessed from the CSV (guess.ts) when the study has no mapping
 * yet, or when a different CSV whose columns do not fit the mapping is opened.
 */
import { type CsvTable, parseCsv } from "../../../src/io/csv.js";
import { h } from "../ui/dom.js";
import {
  type Choice,
  table as dataTable,
  enumChoices,
  fieldRow,
  group,
  listControl,
  selectControl,
  selectField,
  textControl,
  textField,
} from "./fields.js";
import {
  applyGuessedCohort,
  type ColumnSummary,
  defaultMissing,
  guessCohort,
  guessVariableType,
  sortedValues,
  summarizeColumns,
} from "./guess.js";
import { createPanel, type FormContext } from "./panel.js";
import { getIn, isMapping, type RawStudyConfig, renameIn, setIn } from "./raw.js";
import { schemaDefault } from "./schema.js";
import type { StudyFormHost } from "./types.js";

const C = (...path: string[]) => ["cohort", ...path];
const PREVIEW_ROWS = 5;
const NOT_IN_CSV = "not in the CSV";
const NOT_OPENED = "not opened";

const naturalSort = (values: readonly string[]) =>
  [...values].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The YAML parameter files among the opened files (study.yaml itself left out). */
export function paramFiles(files: readonly string[]): string[] {
  return files.filter((f) => /\.ya?ml$/i.test(f) && !/(^|\/)study\.ya?ml$/i.test(f));
}

function missingTexts(raw: RawStudyConfig): string[] {
  const m = getIn(raw, C("missing"));
  return Array.isArray(m) ? m.map(String) : defaultMissing();
}

/** A short description of a column's values. */
function valuesHint(s: ColumnSummary | undefined): string {
  if (!s) return "not in the CSV";
  if (s.count === 0) return "empty";
  if (s.numeric && s.values.length > 6) {
    const nums = s.values.map(Number);
    return `numbers ${Math.min(...nums)} to ${Math.max(...nums)} (${s.values.length} values)`;
  }
  const shown = naturalSort(s.values).slice(0, 6);
  return `${s.values.length} value${s.values.length === 1 ? "" : "s"}: ${shown.join(", ")}${s.values.length > 6 ? ", …" : ""}`;
}

/** The role column the schema assumes when no role is given ("set"). */
const defaultRoleColumn = (): string => str(getIn(schemaDefault(C("role")), ["column"])) ?? "set";

/** The effective role column (the schema's prefault when no role is given). */
function roleColumn(raw: RawStudyConfig): string | undefined {
  const role = getIn(raw, C("role"));
  if (role === undefined) return defaultRoleColumn();
  if (!isMapping(role) || role.byCentre !== undefined) return undefined;
  return str(role.column);
}

/** What each CSV column is mapped to (for the preview's header). */
export function columnTags(raw: RawStudyConfig): Map<string, string[]> {
  const tags = new Map<string, string[]>();
  const tag = (column: unknown, what: string) => {
    if (typeof column !== "string") return;
    tags.set(column, [...(tags.get(column) ?? []), what]);
  };
  tag(getIn(raw, C("id")) ?? schemaDefault(C("id")), "ID");
  tag(getIn(raw, C("centre")), "centre");
  tag(roleColumn(raw), "role");
  tag(getIn(raw, C("outcome", "column")), "outcome");
  const seqs = getIn(raw, C("sequences"));
  if (isMapping(seqs)) {
    for (const [name, s] of Object.entries(seqs)) {
      tag(getIn(s, ["image"]), `${name} image`);
      tag(getIn(s, ["mask"]), `${name} mask`);
      tag(getIn(s, ["mask2"]), `${name} mask 2`);
    }
  }
  const clinical = getIn(raw, C("clinical"));
  if (isMapping(clinical)) for (const name of Object.keys(clinical)) tag(name, "clinical");
  return tags;
}

function readTable(host: StudyFormHost): { name: string; table: CsvTable } | string | null {
  const m = host.manifest();
  if (!m) return null;
  try {
    return { name: m.name, table: parseCsv(m.text, m.name) };
  } catch (err) {
    return (err as Error).message;
  }
}

/** Guesses the mapping for a study without one, or for a new CSV that does not fit it. */
function prepare(ctx: FormContext): void {
  const csv = readTable(ctx.host);
  if (csv === null || typeof csv === "string") return;
  const raw = ctx.get();
  const cohort = raw.cohort;
  if (!isMapping(cohort) || Object.keys(cohort).length === 0) {
    ctx.set(applyGuessedCohort(raw, csv.table, csv.name));
    return;
  }
  if (cohort.manifest === csv.name) return;
  const needed = [cohort.id ?? schemaDefault(C("id")), getIn(cohort, ["outcome", "column"])];
  const fits = needed.every((c) => typeof c !== "string" || csv.table.header.includes(c));
  ctx.set(
    fits ? setIn(raw, C("manifest"), csv.name) : applyGuessedCohort(raw, csv.table, csv.name),
  );
}

function body(ctx: FormContext): Node[] {
  const csv = readTable(ctx.host);
  if (csv === null)
    return [
      h(
        "p",
        { class: "sf-empty" },
        "Open a cohort CSV (one row per patient: ID, role or centre, outcome, clinical variables and image / mask paths relative to the CSV's folder) to map its columns.",
      ),
    ];
  if (typeof csv === "string") return [h("p", { class: "message error" }, csv)];
  const raw = ctx.get();
  const table = csv.table;
  const summaries = summarizeColumns(table, missingTexts(raw));
  const byName = new Map(summaries.map((s) => [s.name, s]));
  const columns: Choice[] = table.header.map((c) => ({ value: c, label: c }));

  const head = h(
    "div",
    { class: "sf-head" },
    h(
      "p",
      null,
      "Manifest (cohort.manifest): ",
      h("code", null, csv.name),
      ` — ${table.rows.length} patients, ${table.header.length} columns; image / mask cells are paths relative to its folder.`,
    ),
    h(
      "button",
      {
        type: "button",
        "data-action": "guess-mapping",
        title: "Replace the cohort mapping by the one guessed from the CSV's columns",
        onclick: () => ctx.set(applyGuessedCohort(ctx.get(), table, csv.name), true),
      },
      "Guess mapping from the CSV",
    ),
  );

  const ids = group(
    "Patients",
    selectField(ctx, C("id"), "Patient ID column", columns, {
      unknown: NOT_IN_CSV,
      help: valuesHint(byName.get(str(getIn(raw, C("id"))) ?? "id")),
      rerender: true,
    }),
    selectField(ctx, C("centre"), "Centre column", columns, {
      unknown: NOT_IN_CSV,
      unset: "(none)",
      help: "optional; needed when the role is derived from the centre",
      rerender: true,
    }),
  );

  return [
    head,
    ids,
    roleGroup(ctx, table, csv.name, byName, columns),
    outcomeGroup(ctx, byName, columns),
    featuresGroup(ctx, table, csv.name, columns),
    clinicalGroup(ctx, table, byName),
    preview(table, raw),
  ];
}

function roleGroup(
  ctx: FormContext,
  table: CsvTable,
  name: string,
  byName: Map<string, ColumnSummary>,
  columns: Choice[],
): HTMLFieldSetElement {
  const raw = ctx.get();
  const role = getIn(raw, C("role"));
  const byCentre = isMapping(role) && role.byCentre !== undefined;
  const centre = str(getIn(raw, C("centre")));
  const centreValues = naturalSort(centre ? (byName.get(centre)?.values ?? []) : []);
  const mode = h(
    "select",
    {
      id: ctx.id(),
      "data-path": "cohort.role#mode",
      onchange: () => {
        let next: unknown;
        if (mode.value === "byCentre") {
          next = {
            byCentre: { training: centreValues.slice(0, 1), test: centreValues.slice(1) },
          };
        } else {
          const guessed = guessCohort(table, name, missingTexts(raw)).role;
          next =
            isMapping(guessed) && guessed.column !== undefined
              ? guessed
              : { column: defaultRoleColumn() };
        }
        ctx.set(setIn(ctx.get(), C("role"), next), true);
      },
    },
    h("option", { value: "column" }, "a column with training / test cells"),
    h("option", { value: "byCentre" }, "by centre (centres -> training / test)"),
  );
  mode.value = byCentre ? "byCentre" : "column";
  const children: (Node | null)[] = [fieldRow("Training / test from", mode, null)];

  if (!byCentre) {
    // Editing the role keeps its column (the schema's default applies only when role is absent).
    const keepColumn: FormContext = {
      ...ctx,
      set: (r, rerender) =>
        ctx.set(
          getIn(r, C("role", "column")) === undefined &&
            getIn(r, C("role", "byCentre")) === undefined
            ? setIn(r, C("role", "column"), defaultRoleColumn())
            : r,
          rerender,
        ),
    };
    const column = roleColumn(raw);
    children.push(
      selectField(keepColumn, C("role", "column"), "Role column", columns, {
        unknown: NOT_IN_CSV,
        fallback: defaultRoleColumn(),
        help: valuesHint(column ? byName.get(column) : undefined),
        rerender: true,
      }),
      textField(keepColumn, C("role", "training"), "Training cell text"),
      textField(keepColumn, C("role", "test"), "Test cell text"),
    );
  } else {
    const lists = {
      training: getIn(role, ["byCentre", "training"]),
      test: getIn(role, ["byCentre", "test"]),
    };
    const listed = (k: "training" | "test") =>
      Array.isArray(lists[k]) ? (lists[k] as unknown[]).map(String) : [];
    const values = [
      ...centreValues,
      ...[...listed("training"), ...listed("test")].filter((v) => !centreValues.includes(v)),
    ];
    if (!centre)
      children.push(h("p", { class: "sf-hint" }, "Choose the centre column above first."));
    const selects = values.map((v) => {
      const select = h(
        "select",
        {
          id: ctx.id(),
          "data-path": `cohort.role.byCentre#${v}`,
          onchange: () => {
            const pick = (k: string) => values.filter((_, j) => selects[j]!.value === k);
            ctx.set(
              setIn(ctx.get(), C("role", "byCentre"), {
                training: pick("training"),
                test: pick("test"),
              }),
              true,
            );
          },
        },
        h("option", { value: "training" }, "training"),
        h("option", { value: "test" }, "test"),
        h("option", { value: "" }, "(neither)"),
      );
      select.value = listed("training").includes(v)
        ? "training"
        : listed("test").includes(v)
          ? "test"
          : "";
      return select;
    });
    children.push(
      h(
        "div",
        { class: "sf-centres" },
        values.map((v, j) =>
          fieldRow(`Centre ${v}`, selects[j]!, centreValues.includes(v) ? null : "not in the CSV"),
        ),
      ),
    );
  }
  return group("Training / test (cohort.role)", ...children);
}

function outcomeGroup(
  ctx: FormContext,
  byName: Map<string, ColumnSummary>,
  columns: Choice[],
): HTMLFieldSetElement {
  const raw = ctx.get();
  const column = str(getIn(raw, C("outcome", "column")));
  const mp = getIn(raw, C("outcome", "millerPayne")) === true;
  const kind = h(
    "select",
    {
      id: ctx.id(),
      "data-path": "cohort.outcome.millerPayne",
      onchange: () => {
        let r = setIn(
          ctx.get(),
          C("outcome", "millerPayne"),
          kind.value === "mp" ? true : undefined,
        );
        if (kind.value === "mp") {
          r = setIn(r, C("outcome", "event"), undefined);
          r = setIn(r, C("outcome", "nonevent"), undefined);
        }
        ctx.set(r, true);
      },
    },
    h("option", { value: "binary" }, "event / non-event cell texts (e.g. 1 / 0)"),
    h("option", { value: "mp" }, "Miller-Payne grade (G5 or 5 = pCR = event)"),
  );
  kind.value = mp ? "mp" : "binary";
  return group(
    "Outcome (cohort.outcome)",
    selectField(ctx, C("outcome", "column"), "Outcome column", columns, {
      unknown: NOT_IN_CSV,
      unset: "— choose —",
      help: column ? valuesHint(byName.get(column)) : "required",
      rerender: true,
    }),
    fieldRow("Outcome coding", kind, "default: event / non-event texts"),
    mp ? null : textField(ctx, C("outcome", "event"), "Event cell text"),
    mp ? null : textField(ctx, C("outcome", "nonevent"), "Non-event cell text"),
    textField(ctx, C("outcome", "eventLabel"), "Event name in tables"),
    textField(ctx, C("outcome", "noneventLabel"), "Non-event name in tables"),
  );
}

function featuresGroup(
  ctx: FormContext,
  table: CsvTable,
  manifestName: string,
  columns: Choice[],
): HTMLFieldSetElement {
  const raw = ctx.get();
  const files = ctx.host.files();
  const tableMode = raw.features !== undefined;
  const csvFiles = files.filter((f) => /\.csv$/i.test(f) && f !== manifestName);
  const source = h(
    "select",
    {
      id: ctx.id(),
      "data-path": "features#mode",
      onchange: () => {
        let r = ctx.get();
        if (source.value === "table") {
          r = setIn(r, C("sequences"), undefined);
          r = setIn(r, ["features"], csvFiles[0] ? { table: csvFiles[0] } : {});
        } else {
          r = setIn(r, ["features"], undefined);
          const guessed = guessCohort(table, manifestName, missingTexts(r)).sequences;
          r = setIn(r, C("sequences"), guessed ?? {});
        }
        ctx.set(r, true);
      },
    },
    h("option", { value: "images" }, "images and masks (cohort.sequences)"),
    h("option", { value: "table" }, "a precomputed feature table (features.table)"),
  );
  source.value = tableMode ? "table" : "images";
  const children: (Node | null)[] = [fieldRow("Features from", source, "default: images")];
  const fileChoices = csvFiles.map((f) => ({ value: f, label: f }));
  if (tableMode) {
    children.push(
      selectField(ctx, ["features", "table"], "Feature table (CSV)", fileChoices, {
        unknown: NOT_OPENED,
        unset: "— choose —",
        help: "one row per patient, one column per feature",
      }),
      textField(ctx, ["features", "id"], "Its patient ID column", {
        fallback: str(getIn(raw, C("id"))) ?? schemaDefault(C("id")),
        help: "empty: the manifest's ID column",
      }),
      fieldRow(
        "Sequence suffixes of the feature names",
        listControl(ctx, ["features", "sequences"]),
        "default: none",
        "comma-separated (e.g. T2, DWI), for keep-one-per-sequence",
      ),
      selectField(ctx, ["features", "reader2Table"], "Second-reader table", fileChoices, {
        unknown: NOT_OPENED,
        unset: "(none)",
        help: "same columns, rows of the re-segmented patients (ICC)",
      }),
    );
  } else {
    children.push(sequencesTable(ctx, columns));
  }
  return group("Features", ...children);
}

function sequencesTable(ctx: FormContext, columns: Choice[]): HTMLElement {
  const raw = ctx.get();
  const seqs = getIn(raw, C("sequences"));
  const entries = isMapping(seqs) ? Object.entries(seqs) : [];
  const params = paramFiles(ctx.host.files()).map((f) => ({ value: f, label: f }));
  const rows = entries.map(([name]) => {
    const p = (...k: string[]) => C("sequences", name, ...k);
    const rename = h("input", {
      type: "text",
      class: "sf-seqname",
      id: ctx.id(),
      "data-path": `cohort.sequences#${name}`,
      "aria-label": "Sequence name",
      value: name,
      onchange: () => ctx.set(renameIn(ctx.get(), C("sequences"), name, rename.value.trim()), true),
    });
    return h(
      "tr",
      null,
      h("td", null, rename),
      // The image, mask and second-reader mask columns.
      ...(
        [
          ["image", "— choose —", "image"],
          ["mask", "— choose —", "mask"],
          ["mask2", "(none)", "second-reader mask"],
        ] as const
      ).map(([key, unset, what]) =>
        h(
          "td",
          null,
          selectControl(ctx, p(key), columns, {
            unknown: NOT_IN_CSV,
            unset,
            ariaLabel: `${name} ${what} column`,
            rerender: true,
          }),
        ),
      ),
      h(
        "td",
        null,
        selectControl(ctx, p("params"), params, {
          unknown: NOT_OPENED,
          unset: "default (extraction.params)",
          ariaLabel: `${name} parameter file`,
        }),
      ),
      h(
        "td",
        null,
        h(
          "button",
          {
            type: "button",
            "data-action": "remove-sequence",
            title: `Remove ${name}`,
            onclick: () => ctx.set(setIn(ctx.get(), C("sequences", name), undefined), true),
          },
          "Remove",
        ),
      ),
    );
  });
  const add = h(
    "button",
    {
      type: "button",
      "data-action": "add-sequence",
      onclick: () => {
        const used = new Set(entries.map(([n]) => n));
        let k = entries.length + 1;
        while (used.has(`SEQ${k}`)) k++;
        const current = getIn(ctx.get(), C("sequences"));
        const next = {
          ...(isMapping(current) ? current : {}),
          [`SEQ${k}`]: { image: "", mask: "" },
        };
        ctx.set(setIn(ctx.get(), C("sequences"), next), true);
      },
    },
    "Add sequence",
  );
  return h(
    "div",
    { class: "sf-sequences" },
    dataTable(
      "sf-table",
      ["Sequence", "Image column", "Mask column", "Second-reader mask", "Parameter file", ""],
      rows,
    ),
    entries.length === 0
      ? h("p", { class: "sf-hint" }, "No sequence: add one per image series (letters and digits).")
      : null,
    add,
  );
}

function clinicalGroup(
  ctx: FormContext,
  table: CsvTable,
  byName: Map<string, ColumnSummary>,
): HTMLFieldSetElement {
  const raw = ctx.get();
  const clinical = getIn(raw, C("clinical"));
  const declared = isMapping(clinical) ? Object.keys(clinical) : [];
  const tags = columnTags(raw);
  const taken = (c: string) => (tags.get(c) ?? []).some((t) => t !== "clinical");
  const names = [
    ...table.header.filter((c) => !taken(c) || declared.includes(c)),
    ...declared.filter((c) => !table.header.includes(c)),
  ];
  const rows = names.map((name) => {
    const s = byName.get(name);
    const v = getIn(raw, C("clinical", name));
    const on = v !== undefined;
    const type = str(getIn(v, ["type"]));
    const use = h("input", {
      type: "checkbox",
      id: ctx.id(),
      "data-path": `cohort.clinical#${name}`,
      "aria-label": `Use ${name} as a clinical variable`,
      checked: on,
      onchange: () =>
        ctx.set(
          setIn(
            ctx.get(),
            C("clinical", name),
            use.checked
              ? { type: (s && guessVariableType(s)) ?? (s?.numeric ? "continuous" : "categorical") }
              : undefined,
          ),
          true,
        ),
    });
    const cells: (Node | null)[] = [
      h("td", null, use),
      h("td", null, h("label", { for: use.id }, name)),
      h("td", { class: "sf-values" }, valuesHint(s)),
    ];
    if (on) {
      const p = (...k: string[]) => C("clinical", name, ...k);
      const levels = getIn(v, ["levels"]);
      const levelList = Array.isArray(levels) ? levels.map(String) : sortedValues(s?.values ?? []);
      const typeSelect = selectControl(ctx, p("type"), enumChoices(p("type")), {
        ariaLabel: `${name} type`,
        unset: type === undefined ? "— choose —" : undefined,
        onchange: (value) => {
          let r = setIn(ctx.get(), p("type"), value === "" ? undefined : value);
          if (value !== type) {
            for (const k of ["levels", "reference", "labels"]) r = setIn(r, p(k), undefined);
          }
          ctx.set(r, true);
        },
      });
      cells.push(
        h("td", null, typeSelect),
        h(
          "td",
          null,
          textControl(ctx, p("label"), { ariaLabel: `${name} label`, placeholder: name }),
        ),
        h(
          "td",
          null,
          type === "categorical"
            ? listControl(ctx, p("levels"), {
                ariaLabel: `${name} levels`,
                placeholder: `training values sorted: ${sortedValues(s?.values ?? []).join(", ")}`,
                rerender: true,
              })
            : null,
        ),
        h(
          "td",
          null,
          type === "categorical"
            ? selectControl(
                ctx,
                p("reference"),
                levelList.map((l) => ({ value: l, label: l })),
                {
                  ariaLabel: `${name} reference level`,
                  unset: `default (first level${levelList[0] !== undefined ? `: ${levelList[0]}` : ""})`,
                },
              )
            : null,
        ),
        h(
          "td",
          null,
          type === "binary" || type === "categorical"
            ? listControl(ctx, p("labels"), {
                ariaLabel: `${name} display labels`,
                placeholder: type === "binary" ? "labels of 0, 1" : "one per level",
                rerender: true,
              })
            : null,
        ),
      );
    } else {
      cells.push(h("td", { colspan: 5, class: "sf-hint" }, s ? "not used" : "not in the CSV"));
    }
    return h("tr", { class: on ? "sf-on" : "sf-off" }, cells);
  });
  return group(
    "Clinical variables (cohort.clinical)",
    dataTable(
      "sf-table sf-clinical",
      ["Use", "Column", "Values", "Type", "Label", "Levels", "Reference", "Level labels"],
      rows,
    ),
    h(
      "p",
      { class: "sf-hint" },
      "binary: 0/1 cells; categorical: treatment-coded against the reference (default levels: the training values sorted); label default: the column name.",
    ),
  );
}

function preview(table: CsvTable, raw: RawStudyConfig): HTMLElement {
  const tags = columnTags(raw);
  return h(
    "div",
    { class: "sf-preview" },
    h(
      "h3",
      null,
      `First rows of the CSV (${Math.min(PREVIEW_ROWS, table.rows.length)} of ${table.rows.length})`,
    ),
    h(
      "div",
      { class: "sf-scroll" },
      h(
        "table",
        { class: "sf-table" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            table.header.map((c) =>
              h(
                "th",
                null,
                c,
                (tags.get(c) ?? []).map((t) => h("span", { class: "sf-tag" }, t)),
              ),
            ),
          ),
        ),
        h(
          "tbody",
          null,
          table.rows.slice(0, PREVIEW_ROWS).map((r) =>
            h(
              "tr",
              null,
              r.map((cell) => h("td", { title: cell }, cell)),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Mounts the mapping step in `root` (data-role="mapping"). */
export function mountMapping(root: HTMLElement, host: StudyFormHost): { refresh(): void } {
  const panel = createPanel(root, host, {
    role: "mapping",
    prefix: "sf-map",
    title: "Cohort mapping",
    prepare,
    body,
  });
  panel.render();
  return { refresh: panel.refresh };
}
