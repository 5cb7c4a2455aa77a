import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A number on the do-not-call list (E.164): never dialled, in any campaign. */
@Entity({ name: 'suppressions' })
export class Suppression {
  @PrimaryColumn('text') phone: string;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
