/**
 * The pre-filled checklists as Markdown files (checklist-tripod-ai.md, checklist-clear.md) and
 * as the body of report.html's "Reporting checklists" section: per item its number, topic,
 * paraphrased requirement, the run's answer with what the authors add (marked "To complete by the
 * authors"), and where the answer comes from. Pure: runs in the browser.
 */
import type { StudyResult } from "../../study/result.js";
import { escapeXml } from "../markup.js";
import { type Checklist, type ChecklistItem, type ChecklistStatus, TO_COMPLETE } from "./types.js";

export interface ChecklistCounts {
  items: number;
  prefilled: number;
  partial: number;
  authors: number;
}

export function checklistCounts(checklist: Checklist): ChecklistCounts {
  const n = (s: ChecklistStatus) => checklist.items.filter((i) => i.status === s).length;
  return {
    items: checklist.items.length,
    prefilled: n("prefilled"),
    partial: n("partial"),
    authors: n("authors"),
  };
}

/** "52 items: 20 pre-filled, 15 partly pre-filled, 17 to complete by the authors". */
export function countsText(checklist: Checklist): string {
  const c = checklistCounts(checklist);
  return `${c.items} items: ${c.prefilled} pre-filled, ${c.partial} partly pre-filled, ${c.authors} to complete by the authors`;
}

const STATUS_LABEL: Record<ChecklistStatus, string> = {
  prefilled: "pre-filled",
  partial: "partly pre-filled",
  authors: "authors",
};

/** "2026-01-02" from an ISO date (other text as given). */
function runDate(createdAt: string): string {
  const d = new Date(createdAt);
  return Number.isNaN(d.getTime()) ? createdAt : d.toISOString().slice(0, 10);
}

function intro(checklist: Checklist, result: StudyResult): string {
  return (
    `Pre-filled by radscore ${result.radscoreVersion} from the study run of ${runDate(result.createdAt)}. ` +
    `Items follow ${checklist.reference}; each requirement is paraphrased, so check the published checklist for its exact wording. ` +
    `"${TO_COMPLETE}" marks what the run cannot know; pre-filled answers come from the sources named beside them.`
  );
}

/** Sections in item order, each with its items. */
function bySection(items: readonly ChecklistItem[]): { section: string; items: ChecklistItem[] }[] {
  const out: { section: string; items: ChecklistItem[] }[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (last && last.section === item.section) last.items.push(item);
    else out.push({ section: item.section, items: [item] });
  }
  return out;
}

/** A Markdown table cell: pipes escaped, line breaks flattened. */
function mdCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

function answerMarkdown(item: ChecklistItem): string {
  const parts: string[] = [];
  if (item.answer) parts.push(item.answer);
  if (item.toComplete) parts.push(`**${TO_COMPLETE}:** ${item.toComplete}.`);
  return parts.join(" ");
}

/** One checklist as a Markdown document. */
export function checklistToMarkdown(checklist: Checklist, result: StudyResult): string {
  const lines = [
    `# ${checklist.title}`,
    "",
    `Study: ${result.title}`,
    "",
    intro(checklist, result),
    "",
    `${countsText(checklist)}.`,
  ];
  for (const group of bySection(checklist.items)) {
    lines.push("", `## ${group.section}`, "");
    lines.push("| Item | Topic | What to report (paraphrased) | Status | Answer | Source |");
    lines.push("|---|---|---|---|---|---|");
    for (const item of group.items) {
      lines.push(
        `| ${[
          item.id,
          item.topic,
          item.requirement,
          STATUS_LABEL[item.status],
          answerMarkdown(item),
          item.sources.join("; "),
        ]
          .map(mdCell)
          .join(" | ")} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function answerHtml(item: ChecklistItem): string {
  const parts: string[] = [];
  if (item.answer) parts.push(escapeXml(item.answer));
  if (item.toComplete)
    parts.push(
      `<span class="to-complete"><b>${escapeXml(TO_COMPLETE)}:</b> ${escapeXml(item.toComplete)}.</span>`,
    );
  return parts.join(" ");
}

function checklistHtml(checklist: Checklist, result: StudyResult): string {
  const rows = bySection(checklist.items)
    .map((group) => {
      const head = `<tr class="checklist-group"><td colspan="5">${escapeXml(group.section)}</td></tr>`;
      const items = group.items.map(
        (item) =>
          `<tr class="status-${item.status}"><td>${escapeXml(item.id)}</td>` +
          `<td>${escapeXml(item.topic)}</td>` +
          `<td>${escapeXml(item.requirement)}</td>` +
          `<td><span class="badge">${escapeXml(STATUS_LABEL[item.status])}</span> ${answerHtml(item)}</td>` +
          `<td class="sources">${item.sources.map(escapeXml).join("<br>")}</td></tr>`,
      );
      return [head, ...items].join("\n");
    })
    .join("\n");
  return (
    `<div class="checklist" id="checklist-${checklist.id}">\n` +
    `<h3>${escapeXml(checklist.title)}</h3>\n` +
    `<p class="table-note">${escapeXml(intro(checklist, result))} ${escapeXml(countsText(checklist))}.</p>\n` +
    `<div class="table-scroll"><table class="checklist-table">\n` +
    `<thead><tr><th>Item</th><th>Topic</th><th>What to report (paraphrased)</th><th>Answer</th><th>Source</th></tr></thead>\n` +
    `<tbody>\n${rows}\n</tbody></table></div>\n</div>`
  );
}

/** The body of report.html's "Reporting checklists" section. */
export function checklistsHtml(checklists: readonly Checklist[], result: StudyResult): string {
  const lead = `<p>TRIPOD+AI and CLEAR, pre-filled from this run; the same checklists are written as Markdown (${checklists
    .map((c) => `checklist-${c.id}.md`)
    .join(", ")}) for the authors to complete.</p>`;
  return [lead, ...checklists.map((c) => checklistHtml(c, result))].join("\n");
}
