import type { MappedLead } from './lead-row-mapper';

/** Where an import's valid rows go: the database (LeadBatchWriter) or a dry run's counts. */
export interface LeadSink {
  /** New leads that would be dialled. */
  readonly pending: number;
  /** New leads on the do-not-call list; known once `finish()` is done. */
  readonly suppressed: number;
  /** Rows whose number is already a lead of the campaign, or earlier in the file. */
  readonly duplicates: number;
  prepare(): Promise<void>;
  /** Queues a lead; true when `flush()` must be awaited before adding more. */
  add(lead: MappedLead): boolean;
  flush(): Promise<void>;
  finish(): Promise<void>;
  abandon(): Promise<void>;
}
