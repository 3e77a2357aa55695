/**
 * The two settings every IBSI-2 convolutional filter has (IBSI-2 reference manual, arXiv:2006.05470,
 * "Filter implementation": dimensionality and boundary condition), as the filters' settings types
 * extend them and as their settings checks read them.
 */
import { type FilterDimensionality, parseDimensionality } from "./convolution.js";
import { type BoundaryCondition, parseBoundaryCondition } from "./padding.js";

/** Where and how a filter runs on the grid. */
export interface FilterGridSettings {
  /** "2D": each x-y slice on its own; "3D": the whole grid. */
  dimensionality: FilterDimensionality;
  boundary: BoundaryCondition;
}

/** Checks dimensionality and boundary; the error names `${filter}.dimensionality` or `.boundary`. */
export function checkGridSettings(settings: FilterGridSettings, filter: string): void {
  parseDimensionality(settings.dimensionality, `${filter}.dimensionality`);
  parseBoundaryCondition(settings.boundary, `${filter}.boundary`);
}
