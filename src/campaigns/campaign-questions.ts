import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { CallRoundedClient } from '../callrounded/callrounded.client';
import { CallRoundedNotFoundError } from '../callrounded/callrounded.errors';
import type { PlatformQuestion } from '../callrounded/callrounded.types';
import type { FieldError } from '../common/validation';
import { QuestionsService } from '../qualification/questions.service';
import type { Qualification } from '../qualification/rules';
import { questionInfos } from '../qualification/question-kind';
import type { ComplianceSettings } from '../compliance/compliance-settings';

/** A request should not hang on a slow platform: past this, questions count as unavailable. */
const FETCH_DEADLINE_MS = 5_000;

/**
 * The campaign side of the post-call questions: fetched at creation and at start (and when the
 * agent or the rules change), and the rules checked against them by QuestionsService.
 */
@Injectable()
export class CampaignQuestions {
  constructor(
    private readonly questions: QuestionsService,
    private readonly platform: CallRoundedClient,
  ) {}

  /**
   * The agent's questions, or null when the platform could not tell us in time. An agent the
   * platform says it does not know is refused here (400 naming agent_id, in the platform's words):
   * its questions route would otherwise read as "no questions" and every call fail later.
   */
  async fetch(agentId: string): Promise<PlatformQuestion[] | null> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), FETCH_DEADLINE_MS);
    });
    try {
      const [unknownAgent, questions] = await Promise.all([
        Promise.race([this.unknownAgent(agentId), deadline]),
        Promise.race([this.questions.fetchQuestions(agentId), deadline]),
      ]);
      if (unknownAgent) {
        throw new BadRequestException({
          message: `agent_id: ${unknownAgent}`,
          details: [{ field: 'agent_id', message: unknownAgent }],
        });
      }
      return questions;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The platform's refusal of an unknown agent ("Agent not found (CallRounded)"), else null. */
  private async unknownAgent(agentId: string): Promise<string | null> {
    try {
      await this.platform.getAgent(agentId);
      return null;
    } catch (err) {
      // Anything but a clear 404 (down, slow, key refused) leaves the decision for later.
      if (!(err instanceof CallRoundedNotFoundError)) return null;
      return `${err.platformMessage ?? 'Agent not found'} (CallRounded)`;
    }
  }

  /** 400 naming each rule that does not fit (questions null: only the rules' shape is checked). */
  assertRulesValid(
    qualification: Qualification | null,
    questions: readonly unknown[] | null,
  ): void {
    const problems = this.problems(qualification, questions);
    if (problems.length > 0)
      throw new BadRequestException({ message: describe(problems), details: problems });
  }

  /** At start: rules naming questions the agent no longer has conflict with its current state. */
  assertRulesFitAtStart(qualification: Qualification | null, questions: readonly unknown[]): void {
    const problems = this.problems(qualification, questions);
    if (problems.length > 0) {
      throw new ConflictException({
        message: `the qualification rules do not fit the agent's post-call questions: ${describe(problems)}`,
        details: problems,
      });
    }
  }

  /**
   * 400 when compliance.refusal_question or opt_out_question names no question of the agent, or
   * one that is not yes/no (questions null: not checked now; unknown names then never match).
   */
  assertComplianceQuestionsValid(
    compliance: ComplianceSettings,
    questions: readonly unknown[] | null,
  ): void {
    const problems = complianceProblems(compliance, questions);
    if (problems.length > 0)
      throw new BadRequestException({ message: describe(problems), details: problems });
  }

  /** At start: a refusal or opt-out question the agent no longer asks would never be heard (409). */
  assertComplianceQuestionsFitAtStart(
    compliance: ComplianceSettings,
    questions: readonly unknown[],
  ): void {
    const problems = complianceProblems(compliance, questions);
    if (problems.length > 0) {
      throw new ConflictException({
        message: `the compliance questions do not fit the agent's post-call questions: ${describe(problems)}`,
        details: problems,
      });
    }
  }

  private problems(
    qualification: Qualification | null,
    questions: readonly unknown[] | null,
  ): FieldError[] {
    return qualification ? this.questions.validateRules(qualification, questions) : [];
  }
}

function describe(problems: FieldError[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}

/** The refusal and opt-out questions that name no yes/no question of the agent (questions null: none). */
function complianceProblems(
  compliance: ComplianceSettings,
  questions: readonly unknown[] | null,
): FieldError[] {
  if (questions === null) return [];
  const infos = questionInfos([...questions]);
  const problems: FieldError[] = [];
  for (const key of ['refusal_question', 'opt_out_question'] as const) {
    const name = compliance[key];
    if (name === null) continue;
    const q = infos.find((i) => i.name === name);
    const field = `compliance.${key}`;
    if (!q) {
      const known = infos.map((i) => i.name).join(', ') || 'none';
      problems.push({
        field,
        message: `unknown question ${JSON.stringify(name)}; the agent's questions are: ${known}`,
      });
    } else if (q.kind !== null && q.kind !== 'boolean') {
      problems.push({
        field,
        message: `question ${JSON.stringify(name)} is ${q.kind}, not a yes/no (boolean) question`,
      });
    }
  }
  return problems;
}
