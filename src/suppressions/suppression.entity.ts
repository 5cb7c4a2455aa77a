import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A number on the do-not-call list (E.164): never dialled, in any campaign. */
@Entity({ name: 'suppressions' })
export class Suppression {
  @PrimaryColumn('text') phone: string;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  /** Where the entry came from when not typed in: `{campaign_id, call_id}` of the call that asked for it. */
  @Column({ type: 'jsonb', nullable: true }) source: Record<string, string> | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
