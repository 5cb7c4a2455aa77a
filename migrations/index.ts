import { Foundation1763769600000 } from './1763769600000-Foundation';
import { Dialling1763769700000 } from './1763769700000-Dialling';
import { LeadImportDetails1763769800000 } from './1763769800000-LeadImportDetails';
import { CampaignLifecycle1763769900000 } from './1763769900000-CampaignLifecycle';
import { DiallingEngine1763770000000 } from './1763770000000-DiallingEngine';
import { WebhookOutbox1763770100000 } from './1763770100000-WebhookOutbox';
import { LeadBulkLoad1763770200000 } from './1763770200000-LeadBulkLoad';
import { AccessControl1763770300000 } from './1763770300000-AccessControl';
import { PlatformLimitAimd1763770310000 } from './1763770310000-PlatformLimitAimd';
import { LeadIntake1763771210000 } from './1763771210000-LeadIntake';
import { LeadImportRejects1763771220000 } from './1763771220000-LeadImportRejects';
import { TestCalls1763771230000 } from './1763771230000-TestCalls';
import { Compliance1763772000000 } from './1763772000000-Compliance';
import { CampaignControls1763772100000 } from './1763772100000-CampaignControls';
import { BreakerIndex1763772110000 } from './1763772110000-BreakerIndex';
import { CampaignCounters1763772200000 } from './1763772200000-CampaignCounters';
import { AnswerCounters1763772210000 } from './1763772210000-AnswerCounters';
import { BudgetCounters1763773100000 } from './1763773100000-BudgetCounters';
import { CounterTriggersFastPath1763773300000 } from './1763773300000-CounterTriggersFastPath';

/** Every migration, oldest first (by the timestamp in its name: TypeORM applies them in that order). */
export const migrations = [
  Foundation1763769600000,
  Dialling1763769700000,
  LeadImportDetails1763769800000,
  CampaignLifecycle1763769900000,
  DiallingEngine1763770000000,
  WebhookOutbox1763770100000,
  LeadBulkLoad1763770200000,
  AccessControl1763770300000,
  PlatformLimitAimd1763770310000,
  LeadIntake1763771210000,
  LeadImportRejects1763771220000,
  TestCalls1763771230000,
  Compliance1763772000000,
  CampaignControls1763772100000,
  BreakerIndex1763772110000,
  CampaignCounters1763772200000,
  AnswerCounters1763772210000,
  BudgetCounters1763773100000,
  CounterTriggersFastPath1763773300000,
];
