/**
 * A scenario describes the organisation the simulator pretends to be: its agents, qualification
 * questions with answer distributions, phone numbers and the mix of call outcomes.
 * Keys are snake_case because scenarios are JSON files shaped like the platform's objects.
 */

export type ScenarioQuestionType =
  'boolean' | 'number' | 'text' | 'single_choice' | 'multiple_choice';

export interface ScenarioQuestionOption {
  id: string;
  value: string;
  /** single_choice: relative weight; multiple_choice: probability (0..1) of being picked. */
  weight?: number;
}

export interface ScenarioAnswerDistribution {
  /** Probability (0..1) that the question gets an answer at all. */
  rate: number;
  /** boolean: probability of `true`. */
  true_rate?: number;
  /** number: inclusive integer range. */
  min?: number;
  max?: number;
  /** text: one of these is picked. */
  texts?: string[];
}

export interface ScenarioQuestion {
  id: string;
  name: string;
  description: string;
  type: ScenarioQuestionType;
  optional: boolean;
  question_origin?: string;
  model?: string;
  examples?: string[];
  options?: ScenarioQuestionOption[];
  answer: ScenarioAnswerDistribution;
}

export interface ScenarioVariable {
  name: string;
  type: string;
  description: string;
}

export interface ScenarioAgent {
  id: string;
  name: string;
  language: string;
  version?: number;
  initial_message?: string;
  max_call_duration?: number;
  base_prompt?: string;
  variables: ScenarioVariable[];
  post_call_questions: ScenarioQuestion[];
}

export interface ScenarioPhoneNumber {
  id: string;
  number: string;
  name: string;
  inbound_agent_id: string | null;
  created_at: string;
}

/** Relative weights of how calls end. */
export interface ScenarioOutcomes {
  completed: number;
  missed: number;
  failed: number;
  /** A status string the client has never seen (`unknown_status`), to prove it copes. */
  unknown?: number;
}

/**
 * How the successive calls to one number end: `completed`, `missed`, `failed`, or any other
 * status, which the platform answers as it is (like `unknown_status`: `voicemail`, `busy`…).
 */
export type ScenarioCallScript = string[];

export interface SimScenario {
  name: string;
  organization_id: string;
  created_at: string;
  agents: ScenarioAgent[];
  /** The organisation's numbers: the only valid `from_number` values. */
  phone_numbers: ScenarioPhoneNumber[];
  outcomes: ScenarioOutcomes;
  /**
   * Per E.164 number, how its 1st, 2nd… call ends (the last entry repeats); other numbers draw
   * from `outcomes`. A deterministic mix, whatever order the calls come in.
   */
  outcomes_by_number?: Record<string, ScenarioCallScript>;
  /** Default `voicemail`. */
  unknown_status?: string;
  /** Cost of a connected minute, in the account currency. */
  cost_per_minute: number;
}
