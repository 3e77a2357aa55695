/**
 * A tiny typed DOM builder: the app renders with plain DOM calls (no framework), so the bundle
 * stays small and every element is typed by its tag. `h("button", { class: "primary", onclick },
 * "Run")` creates and fills an element; attributes with a null / false value are left out.
 */
type Child = Node | string | number | null | undefined | false;
type Handler<K extends keyof HTMLElementEventMap> = (event: HTMLElementEventMap[K]) => void;

export interface Props {
  [attribute: string]: string | number | boolean | null | undefined | Handler<never>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [name, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on") && typeof value === "function") {
        el.addEventListener(name.slice(2), value as EventListener);
      } else if (name === "value" && "value" in el) {
        (el as HTMLInputElement).value = String(value);
      } else if (name === "checked" && el instanceof HTMLInputElement) {
        el.checked = value === true;
      } else {
        el.setAttribute(name, value === true ? "" : String(value));
      }
    }
  }
  append(el, ...children);
  return el;
}

/** Appends children (strings become text nodes; null / false are skipped). */
export function append(parent: Node, ...children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Offers `data` as a file download (a blob URL; nothing leaves the machine). */
export function download(name: string, data: BlobPart, type = "application/octet-stream"): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Yields to the event loop so that long loops on the main thread keep the page responsive. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
