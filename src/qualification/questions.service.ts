import { Injectable, Logger } from '@nestjs/common';
import { CallRoundedClient } from '../callrounded/callrounded.client';
import { CallRoundedError } from '../callrounded/callrounded.errors';
import type { PlatformQuestion } from '../callrounded/callrounded.types';
import type { FieldError } from '../common/validation';
import { questionInfos } from './question-kind';
import { validateRules } from './rules';

/**
 * The agent's post-call questions, which a campaign keeps in `campaigns.questions` (fetched at
 * creation and again at start), and the check of its rules against them.
 */
@Injectable()
export class QuestionsService {
  private readonly logger = new Logger(QuestionsService.name);

  constructor(private readonly platform: CallRoundedClient) {}

  /**
   * The agent's active questions, or null when the platform could not tell us (down, timing out,
   * refusing our key): the caller then keeps the rules unchecked until the next try.
   */
  async fetchQuestions(agentId: string): Promise<PlatformQuestion[] | null> {
    try {
      const questions = await this.platform.listPostCallQuestions(agentId);
      return questions.filter((q) => q && typeof q.name === 'string' && q.is_active !== false);
    } catch (err) {
      const reason =
        err instanceof CallRoundedError ? `${err.kind} ${err.httpStatus ?? ''}` : String(err);
      this.logger.warn(`Post-call questions of agent ${agentId} not available: ${reason.trim()}`);
      return null;
    }
  }

  /**
   * Problems with `qualification` (the campaign's body field), each naming its field, e.g.
   * `{field: "qualification.rules[0].question", message: "unknown question \"intrested\"; ..."}`.
   * `questions` null: only the rules' shape is checked (questions not known yet).
   */
  validateRules(qualification: unknown, questions: readonly unknown[] | null): FieldError[] {
    return validateRules(qualification, questions === null ? null : questionInfos([...questions]));
  }
}
