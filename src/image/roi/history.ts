/**
 * Undo and redo of ROI edits. An action is a group of slice edits done by one user gesture (one
 * stroke, one interpolation over many slices) and is undone as a whole. The history keeps the
 * edits' arrays by reference; they must not be modified after being pushed.
 */
import type { Volume } from "../volume.js";
import { RoiEditError, type SliceEdit, type SliceRef, writeSlice } from "./slice.js";

/** Undo/redo of edits; an action may group several SliceEdits (e.g. interpolation). */
export class EditHistory {
  readonly #limit: number;
  #undo: SliceEdit[][] = [];
  #redo: SliceEdit[][] = [];

  /** `limit`: most actions kept for undo (the oldest are dropped first); default 100. */
  constructor(limit = 100) {
    if (!(Number.isInteger(limit) && limit >= 1)) {
      throw new RoiEditError(`history limit must be an integer >= 1, got ${limit}`);
    }
    this.#limit = limit;
  }

  /**
   * Records one action (already applied to the mask). Null or an empty list (an edit that
   * changed nothing) records nothing; anything else discards the redo stack, as a new edit
   * after undo starts a new branch.
   */
  push(edits: SliceEdit | SliceEdit[] | null): void {
    if (edits === null) return;
    const action = Array.isArray(edits) ? edits.slice() : [edits];
    if (action.length === 0) return;
    this.#undo.push(action);
    if (this.#undo.length > this.#limit) this.#undo.shift();
    this.#redo = [];
  }

  /** Restores the slices of the last action to their content before it; returns the slices changed ([] when there is nothing to undo). */
  undo(mask: Volume<Uint8Array>): SliceRef[] {
    const action = this.#undo.pop();
    if (!action) return [];
    // In reverse, so that an action editing one slice twice ends at its first `before`.
    for (let i = action.length - 1; i >= 0; i--) {
      const e = action[i]!;
      writeSlice(mask, e.ref, e.before);
    }
    this.#redo.push(action);
    return action.map((e) => ({ plane: e.ref.plane, index: e.ref.index }));
  }

  /** Re-applies the last undone action; returns the slices changed ([] when there is nothing to redo). */
  redo(mask: Volume<Uint8Array>): SliceRef[] {
    const action = this.#redo.pop();
    if (!action) return [];
    for (const e of action) writeSlice(mask, e.ref, e.after);
    this.#undo.push(action);
    return action.map((e) => ({ plane: e.ref.plane, index: e.ref.index }));
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** Forgets every action (e.g. when another mask is loaded). */
  clear(): void {
    this.#undo = [];
    this.#redo = [];
  }
}
