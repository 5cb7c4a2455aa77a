import type { ClientBase } from 'pg';
import { loadCampaignNumbers } from './lead-batch-writer';
import type { MappedLead } from './lead-row-mapper';
import type { LeadSink } from './lead-sink';
import { PhoneSet } from './phone-set';

const BATCH = 5000;
const COUNT_SUPPRESSED =
  'SELECT count(*)::int AS n FROM suppressions WHERE phone = ANY($1::text[])';

/**
 * A dry run's sink: settles duplicates and the do-not-call list exactly as LeadBatchWriter
 * does, and writes nothing. It reads with plain statements, outside any transaction, and takes
 * no lock: a dry run never holds up an import.
 */
export class LeadDryRun implements LeadSink {
  duplicates = 0;
  suppressed = 0;
  private accepted = 0;
  private readonly numbers = new PhoneSet();
  private probe = true;
  private batch: string[] = [];

  constructor(
    private readonly client: ClientBase,
    private readonly campaignId: string,
  ) {}

  get pending(): number {
    return this.accepted - this.suppressed;
  }

  async prepare(): Promise<void> {
    const { rows } = await this.client.query<{ any: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM suppressions) AS any',
    );
    this.probe = rows[0].any;
    await loadCampaignNumbers(this.client, this.campaignId, this.numbers);
  }

  add(lead: MappedLead): boolean {
    if (!this.numbers.add(lead.phone)) {
      this.duplicates++;
      return false;
    }
    this.accepted++;
    if (!this.probe) return false;
    this.batch.push(lead.phone);
    return this.batch.length >= BATCH;
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const phones = this.batch;
    this.batch = [];
    const { rows } = await this.client.query<{ n: number }>(COUNT_SUPPRESSED, [phones]);
    this.suppressed += rows[0].n;
  }

  finish(): Promise<void> {
    return this.flush();
  }

  abandon(): Promise<void> {
    return Promise.resolve();
  }
}
