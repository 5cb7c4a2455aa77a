/**
 * Every PostgreSQL advisory lock the service takes, in one place so that no two uses share a key
 * by accident (test/foundation/advisory-locks.spec.ts checks that they are distinct and that no
 * pg_advisory_* call writes a key of its own). A "space" is the first half of a two-key lock
 * whose second half is `hashtext(<id>)`.
 */
export const ADVISORY_LOCKS = {
  /** Session lock: one instance migrates at a time. */
  migrations: 727_274_001,
  /** Transaction lock: two instances starting together generate one first admin key. */
  firstApiKey: 727_274_002,
  /** Space, per campaign: one lead file imported into a campaign at a time. */
  leadImportSpace: 727_274_003,
  /** Transaction lock: revocations one at a time, so the last admin key cannot go twice. */
  apiKeyRevocation: 727_274_004,
  /** Space, per campaign: one instance claims a scheduled run at a time. */
  scheduleClaimSpace: 727_274_010,
  /**
   * Space, per E.164 number: "count its recent attempts, then claim it" one claim at a time across
   * campaigns and instances (the calling laws' frequency caps).
   */
  contactSpace: 727_274_011,
  /** Space, per campaign and counter key: one folder folds a figure's delta rows. */
  counterFoldSpace: 727_274_012,
} as const;
