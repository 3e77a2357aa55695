/** Options of the study report (outcome labels; the StudyResult does not name the outcome). */
export interface ReportOptions {
  /** Name of the event class in tables and captions (default "pCR"). */
  eventLabel?: string;
  /** Name of the non-event class (default "non-pCR"). */
  noneventLabel?: string;
}

export function resolveOptions(options: ReportOptions): Required<ReportOptions> {
  return {
    eventLabel: options.eventLabel ?? "pCR",
    noneventLabel: options.noneventLabel ?? "non-pCR",
  };
}
