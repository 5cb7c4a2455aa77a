import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every rejected row of an import, as the user wrote it, for GET …/imports/{id}/errors.csv (the
 * import record keeps only the first 1,000 errors). The uploaded file itself is streamed and
 * never kept, so the rows cannot be re-derived later: the import stores them, in its own
 * transaction, bounded per import (LeadRejectStore). A clean file stores nothing. The import's
 * header row is kept beside, for the errors file's header.
 */
export class LeadImportRejects1763771220000 implements MigrationInterface {
  name = 'LeadImportRejects1763771220000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lead_imports ADD COLUMN header jsonb`);
    await q.query(`ALTER TABLE lead_imports ADD COLUMN rejects_omitted int NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE lead_import_rejects (
        import_id uuid NOT NULL REFERENCES lead_imports(id) ON DELETE CASCADE,
        row_number int NOT NULL,
        error text NOT NULL,
        cells jsonb NOT NULL,
        PRIMARY KEY (import_id, row_number)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lead_import_rejects`);
    await q.query(`ALTER TABLE lead_imports DROP COLUMN rejects_omitted, DROP COLUMN header`);
  }
}
