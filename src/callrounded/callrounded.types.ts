/**
 * Shapes of the CallRounded v1 API as described in ../shared/reference/callrounded-api-notes.md.
 * Platform JSON keeps its snake_case names. Fields the documentation does not guarantee are
 * optional or nullable: the client passes through whatever the platform sends.
 */

/** `{"message", "data", "error", "status"}`; list endpoints add pagination keys beside `data`. */
export interface PlatformEnvelope<T = unknown> {
  message?: string;
  data?: T;
  error?: PlatformErrorBody | null;
  status?: number;
  next_cursor?: string | null;
  current_page?: number;
  total_pages?: number;
  total_items?: number;
}

export interface PlatformErrorDetail {
  field: string;
  message: string;
}

export interface PlatformErrorBody {
  details?: PlatformErrorDetail[];
  message?: string;
  status?: number;
  type?: string;
}

/**
 * Seen so far: created, ongoing, completed, missed, failed, unknown. The list is not documented
 * in full, so the type stays `string`: a value never seen before must flow through untouched.
 */
export type PlatformCallStatus = string;

export interface PlatformTranscriptEntry {
  role: string;
  start_time: string | null;
  content: string;
}

export interface PlatformVariableValue {
  name: string;
  type: string;
  value: unknown;
  timestamp: string | null;
}

export interface PlatformAnswerQuestion {
  id: string;
  name: string;
  description?: string | null;
  /** Only `boolean` is documented; text, number and choice types are implied by the answer fields. */
  question_type: string;
  is_optional?: boolean;
  question_origin?: string | null;
}

export interface PlatformQuestionOption {
  id: string;
  value: string;
}

export interface PlatformPostCallAnswer {
  id: string;
  question: PlatformAnswerQuestion;
  has_answer: boolean;
  answer_text: string | null;
  answer_number: number | null;
  answer_boolean: boolean | null;
  selected_options: { option: PlatformQuestionOption }[];
}

export interface PlatformCall {
  id: string;
  organization_id?: string | null;
  /** `phone_call` or `web_call`. */
  type?: string | null;
  agent_id: string | null;
  status: PlatformCallStatus;
  metadata: Record<string, unknown> | null;
  start_time: string | null;
  end_time: string | null;
  duration_seconds: number | null;
  redirect_duration_seconds?: number | null;
  cost: number | null;
  transcript_string?: string | null;
  transcript?: PlatformTranscriptEntry[] | null;
  variable_values?: PlatformVariableValue[] | null;
  post_call_answers?: PlatformPostCallAnswer[] | null;
  /** `human` seen. */
  answer_type?: string | null;
  from_number: string | null;
  to_number: string | null;
  direction?: string | null;
  /** Pre-signed, expires after an hour: never store it as a permanent link. */
  recording_url?: string | null;
  secure_recording_url?: string | null;
}

/** A qualification question as the post-call-questions endpoints return it. */
export interface PlatformQuestion {
  id: string;
  agent_id: string;
  name: string;
  description: string | null;
  type: string;
  optional: boolean;
  model?: string | null;
  examples?: string[];
  options?: PlatformQuestionOption[];
  is_active?: boolean;
  question_origin?: string | null;
  created_at?: string;
  updated_at?: string;
}

export interface PlatformAgentVariable {
  name: string;
  type: string;
  description?: string | null;
  extraction_instructions?: string | null;
}

export interface PlatformAgent {
  id: string;
  name: string;
  version?: number;
  language?: string;
  initial_message?: string | null;
  max_call_duration?: number | null;
  variables: PlatformAgentVariable[];
  states?: unknown[];
  webhook_url?: string | null;
  webhook_subscriptions?: string[] | null;
  created_at?: string;
  updated_at?: string;
  [key: string]: unknown;
}

export interface PlatformPhoneNumber {
  type: string;
  id: string;
  number: string;
  name?: string | null;
  inbound_agent_id?: string | null;
  created_at?: string;
  [key: string]: unknown;
}

export interface StartPhoneCallRequest {
  from_number: string;
  to_number: string;
  agent_id: string;
  /** Values may be strings, numbers, booleans or nested objects. */
  dynamic_variables_values?: Record<string, unknown>;
}

export interface StartPhoneCallResult {
  call_id: string;
}

export interface ListCallsFilters {
  agent_id?: string;
  call_type?: 'phone_call' | 'web_call';
  from_number?: string;
  to_number?: string;
  /** ISO 8601 string or Date; strict bounds. */
  start_time_gt?: string | Date;
  start_time_lt?: string | Date;
  /** Default 50 on the platform, at most 1000. */
  limit?: number;
  /** Flag names are not documented; these are the project's assumption. */
  include_variable_values?: boolean;
  include_transcript?: boolean;
}

export type PageRequest = { mode: 'cursor'; cursor?: string } | { mode: 'page'; page: number };

export type PaginationMode = PageRequest['mode'];

export interface PageResult<T> {
  data: T[];
  /** Cursor mode: absent on the last page. */
  next_cursor?: string;
  /** Page mode. */
  current_page?: number;
  total_pages?: number;
  total_items?: number;
}
