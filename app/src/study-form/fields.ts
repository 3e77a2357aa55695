/**
 * Labelled form fields bound to a path of the raw configuration. Each shows the schema's
 * documented default (placeholder or "(default)" option) and writes the key on change; clearing a
 * text or number field removes the key so that the default applies. `*Control` functions make the
 * bare control (table cells, labelled by `aria-label`); `*Field` functions add the label and hint.
 */
import { h } from "../ui/dom.js";
import type { FormContext } from "./panel.js";
import { getIn, joinList, parseNumberText, type RawPath, setIn, splitList } from "./raw.js";
import { enumOptions, schemaDefault } from "./schema.js";

export interface FieldOptions {
  /** A short explanation shown under the field. */
  help?: string;
  /** The value in effect when the key is absent (default: the schema's default). */
  fallback?: unknown;
  /** Rebuild the form after a change (fields that show or hide others). */
  rerender?: boolean;
  /** Label of a control without a visible label (table cells). */
  ariaLabel?: string;
  placeholder?: string;
}

/** How a default reads in the form. */
export function formatDefault(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "boolean") return value ? "on" : "off";
  if (Array.isArray(value)) return value.map((v) => (v === "" ? '""' : String(v))).join(", ");
  if (value === "") return '""';
  return String(value);
}

function defaultOf(path: RawPath, opts: FieldOptions): unknown {
  return "fallback" in opts ? opts.fallback : schemaDefault(path);
}

const pathAttr = (path: RawPath) => path.join(".");

/** The label, control and hint of one field. */
export function fieldRow(
  label: string,
  control: HTMLElement,
  hint: string | null,
  help?: string,
): HTMLDivElement {
  const text = [hint, help].filter((t) => t).join(" — ");
  return h(
    "div",
    { class: "sf-field" },
    h("label", { for: control.id }, label),
    control,
    text ? h("small", { class: "sf-hint" }, text) : null,
  );
}

const defaultHint = (path: RawPath, opts: FieldOptions): string | null => {
  const d = formatDefault(defaultOf(path, opts));
  return d ? `default: ${d}` : null;
};

/** A text input; empty removes the key. */
export function textControl(
  ctx: FormContext,
  path: RawPath,
  opts: FieldOptions = {},
): HTMLInputElement {
  const value = getIn(ctx.get(), path);
  const input = h("input", {
    type: "text",
    id: ctx.id(),
    "data-path": pathAttr(path),
    "aria-label": opts.ariaLabel,
    value: value === undefined ? "" : String(value),
    placeholder: opts.placeholder ?? formatDefault(defaultOf(path, opts)),
    [opts.rerender ? "onchange" : "oninput"]: () =>
      ctx.set(setIn(ctx.get(), path, input.value === "" ? undefined : input.value), opts.rerender),
  });
  return input;
}

export function textField(
  ctx: FormContext,
  path: RawPath,
  label: string,
  opts: FieldOptions = {},
): HTMLDivElement {
  return fieldRow(label, textControl(ctx, path, opts), defaultHint(path, opts), opts.help);
}

/** A number field (typed as text so that a bad value stays visible and is named by validation). */
export function numberField(
  ctx: FormContext,
  path: RawPath,
  label: string,
  opts: FieldOptions = {},
): HTMLDivElement {
  const value = getIn(ctx.get(), path);
  const input = h("input", {
    type: "text",
    inputmode: "decimal",
    class: "sf-number",
    id: ctx.id(),
    "data-path": pathAttr(path),
    value: value === undefined ? "" : String(value),
    placeholder: opts.placeholder ?? formatDefault(defaultOf(path, opts)),
    oninput: () => ctx.set(setIn(ctx.get(), path, parseNumberText(input.value))),
  });
  return fieldRow(label, input, defaultHint(path, opts), opts.help);
}

/** A checkbox showing the value in effect (the default when the key is absent). */
export function checkField(
  ctx: FormContext,
  path: RawPath,
  label: string,
  opts: FieldOptions = {},
): HTMLDivElement {
  const value = getIn(ctx.get(), path);
  const input = h("input", {
    type: "checkbox",
    id: ctx.id(),
    "data-path": pathAttr(path),
    checked: typeof value === "boolean" ? value : defaultOf(path, opts) === true,
    onchange: () => ctx.set(setIn(ctx.get(), path, input.checked), opts.rerender),
  });
  const text = [defaultHint(path, opts), opts.help].filter((t) => t).join(" — ");
  return h(
    "div",
    { class: "sf-field sf-check" },
    input,
    h("label", { for: input.id }, label),
    text ? h("small", { class: "sf-hint" }, text) : null,
  );
}

export interface Choice {
  value: string;
  label: string;
}

export interface SelectOptions extends FieldOptions {
  /** A first option (value "") that removes the key. */
  unset?: string;
  /** Replaces the default handler (which stores the value, "" removing the key). */
  onchange?: (value: string) => void;
  /** How a value that is none of the choices is marked (default "not valid here"). */
  unknown?: string;
}

/**
 * A select of `choices` showing the value in effect; a value that is none of them (e.g. from an
 * imported study.yaml) is kept as a marked option so that validation names it.
 */
export function selectControl(
  ctx: FormContext,
  path: RawPath,
  choices: Choice[],
  opts: SelectOptions = {},
): HTMLSelectElement {
  const value = getIn(ctx.get(), path);
  const def = defaultOf(path, opts);
  const current =
    value !== undefined
      ? String(value)
      : opts.unset !== undefined || def === undefined
        ? ""
        : String(def);
  const all: Choice[] = [
    ...(opts.unset !== undefined ? [{ value: "", label: opts.unset }] : []),
    ...choices,
  ];
  if (!all.some((c) => c.value === current))
    all.push({
      value: current,
      label: current === "" ? "— choose —" : `${current} (${opts.unknown ?? "not valid here"})`,
    });
  const select = h(
    "select",
    {
      id: ctx.id(),
      "data-path": pathAttr(path),
      "aria-label": opts.ariaLabel,
      onchange: () => {
        if (opts.onchange) opts.onchange(select.value);
        else
          ctx.set(
            setIn(ctx.get(), path, select.value === "" ? undefined : select.value),
            opts.rerender,
          );
      },
    },
    all.map((c) => h("option", { value: c.value }, c.label)),
  );
  select.value = current;
  return select;
}

export function selectField(
  ctx: FormContext,
  path: RawPath,
  label: string,
  choices: Choice[],
  opts: SelectOptions = {},
): HTMLDivElement {
  return fieldRow(
    label,
    selectControl(ctx, path, choices, opts),
    defaultHint(path, opts),
    opts.help,
  );
}

/** The schema's enum values at `path` as choices, the default marked. */
export function enumChoices(path: RawPath): Choice[] {
  const def = schemaDefault(path);
  return enumOptions(path).map((v) => ({ value: v, label: v === def ? `${v} (default)` : v }));
}

/** A select of the schema's enum values at `path`. */
export function enumField(
  ctx: FormContext,
  path: RawPath,
  label: string,
  opts: SelectOptions = {},
): HTMLDivElement {
  return selectField(ctx, path, label, enumChoices(path), opts);
}

/** A comma-separated list; `numbers` stores numbers (bad items kept as text for validation). */
export function listControl(
  ctx: FormContext,
  path: RawPath,
  opts: FieldOptions & { numbers?: boolean } = {},
): HTMLInputElement {
  const value = getIn(ctx.get(), path);
  const input = h("input", {
    type: "text",
    class: "sf-list",
    id: ctx.id(),
    "data-path": pathAttr(path),
    "aria-label": opts.ariaLabel,
    value: joinList(value),
    placeholder: opts.placeholder ?? formatDefault(defaultOf(path, opts)),
    // A list that rebuilds the form is stored when the field is left (not on every key).
    [opts.rerender ? "onchange" : "oninput"]: () => {
      const items = splitList(input.value);
      const stored = opts.numbers ? items.map((t) => parseNumberText(t) ?? t) : items;
      ctx.set(setIn(ctx.get(), path, stored.length > 0 ? stored : undefined), opts.rerender);
    },
  });
  return input;
}

export function listField(
  ctx: FormContext,
  path: RawPath,
  label: string,
  opts: FieldOptions & { numbers?: boolean } = {},
): HTMLDivElement {
  return fieldRow(
    label,
    listControl(ctx, path, opts),
    defaultHint(path, opts),
    [opts.help, "comma-separated"].filter((t) => t).join("; "),
  );
}

/**
 * Checkboxes choosing a subset of `names` for the list at `path` (in the order of `names`);
 * none checked removes the key.
 */
export function subsetField(
  ctx: FormContext,
  path: RawPath,
  label: string,
  names: readonly string[],
  opts: FieldOptions = {},
): HTMLFieldSetElement {
  const value = getIn(ctx.get(), path);
  const chosen = new Set(Array.isArray(value) ? value.map(String) : []);
  const all = [...names, ...[...chosen].filter((n) => !names.includes(n))];
  const boxes = all.map((name) =>
    h("input", {
      type: "checkbox",
      id: ctx.id(),
      "data-path": `${pathAttr(path)}[${name}]`,
      value: name,
      checked: chosen.has(name),
      onchange: () => {
        const list = boxes.filter((b) => b.checked).map((b) => b.value);
        ctx.set(setIn(ctx.get(), path, list.length > 0 ? list : undefined));
      },
    }),
  );
  const text = [opts.fallback === undefined ? null : `default: ${opts.fallback}`, opts.help]
    .filter((t) => t)
    .join(" — ");
  return h(
    "fieldset",
    { class: "sf-field sf-subset" },
    h("legend", null, label),
    all.length === 0 ? h("span", { class: "sf-hint" }, "no clinical variables declared") : null,
    all.map((name, k) =>
      h("span", { class: "sf-check" }, boxes[k]!, h("label", { for: boxes[k]!.id }, name)),
    ),
    text ? h("small", { class: "sf-hint" }, text) : null,
  );
}

/** A fieldset with a legend. */
/** A table with a header row of `headings` and the given body rows. */
export function table(className: string, headings: string[], rows: Node[]): HTMLTableElement {
  return h(
    "table",
    { class: className },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        headings.map((t) => h("th", null, t)),
      ),
    ),
    h("tbody", null, rows),
  );
}

export function group(legend: string, ...children: (Node | null)[]): HTMLFieldSetElement {
  return h("fieldset", { class: "sf-group" }, h("legend", null, legend), children);
}

/** A collapsed <details> of less common settings (its open state survives re-renders). */
export function more(key: string, ...children: (Node | null)[]): HTMLDetailsElement {
  return h(
    "details",
    { class: "sf-more", "data-key": key },
    h("summary", null, "More settings"),
    children,
  );
}
