import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsIP,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

export type AppRole = 'all' | 'api' | 'worker';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const TERMINAL_STATUS_ITEM =
  '\\s*(?!(?:created|ongoing)\\s*(?:=|,|$))[a-z0-9_-]+(?:\\s*=\\s*(?:completed|missed|failed|unknown))?\\s*';
const TERMINAL_STATUSES_PATTERN = new RegExp(
  `^${TERMINAL_STATUS_ITEM}(?:,${TERMINAL_STATUS_ITEM})*$`,
  'i',
);

/**
 * Every environment variable the service reads, validated once at start-up.
 * Names follow ../shared/api-contract.md; the extra tunables keep the same style.
 */
export class AppConfig {
  /** HTTP port. */
  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'PORT must be a whole number between 1 and 65535' })
  PORT = 3000;

  /** PostgreSQL connection string; unset means an embedded server under DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, {
    message: 'DATABASE_URL must be a PostgreSQL URL such as postgres://user:pass@host:5432/db',
  })
  DATABASE_URL?: string = undefined;

  @Transform(emptyToUndefined)
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    {
      message: 'CALLROUNDED_API_URL must be an http(s) URL such as https://api.callrounded.com/v1',
    },
  )
  CALLROUNDED_API_URL = 'https://api.callrounded.com/v1';

  /** Unset means simulation mode. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CALLROUNDED_API_KEY?: string = undefined;

  /** Comma-separated keys accepted on /v1; unset means one is generated at first start. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*[^,\s]{16,}\s*(,\s*[^,\s]{16,}\s*)*$/, {
    message: 'API_KEYS must be a comma-separated list of keys, each at least 16 characters long',
  })
  API_KEYS?: string = undefined;

  @Transform(({ value }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : (value as unknown),
  )
  @IsIn(['all', 'api', 'worker'], { message: 'APP_ROLE must be one of: all, api, worker' })
  APP_ROLE: AppRole = 'all';

  /** Where the embedded PostgreSQL and other local state live. */
  @IsString()
  DATA_DIR = './.data';

  @Transform(toInt)
  @IsInt({ message: 'EMBEDDED_PG_PORT must be a whole number between 1024 and 65535' })
  @Min(1024, { message: 'EMBEDDED_PG_PORT must be a whole number between 1024 and 65535' })
  @Max(65535, { message: 'EMBEDDED_PG_PORT must be a whole number between 1024 and 65535' })
  EMBEDDED_PG_PORT = 54329;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  /** Largest accepted lead file, in megabytes. */
  @Transform(toInt)
  @IsInt({ message: 'IMPORT_MAX_MB must be a whole number of megabytes (1 to 10240)' })
  @Min(1, { message: 'IMPORT_MAX_MB must be a whole number of megabytes (1 to 10240)' })
  @Max(10240, { message: 'IMPORT_MAX_MB must be a whole number of megabytes (1 to 10240)' })
  IMPORT_MAX_MB = 200;

  /** Lead and do-not-call files received at once by this instance (429 beyond). */
  @Transform(toInt)
  @IsInt({ message: 'IMPORT_MAX_CONCURRENT must be a whole number between 1 and 64' })
  @Min(1, { message: 'IMPORT_MAX_CONCURRENT must be a whole number between 1 and 64' })
  @Max(64, { message: 'IMPORT_MAX_CONCURRENT must be a whole number between 1 and 64' })
  IMPORT_MAX_CONCURRENT = 4;

  /** An upload whose client sends nothing for this long is refused (408). */
  @Transform(toInt)
  @IsInt({ message: 'IMPORT_IDLE_TIMEOUT_S must be a whole number of seconds (1 to 3600)' })
  @Min(1, { message: 'IMPORT_IDLE_TIMEOUT_S must be a whole number of seconds (1 to 3600)' })
  @Max(3600, { message: 'IMPORT_IDLE_TIMEOUT_S must be a whole number of seconds (1 to 3600)' })
  IMPORT_IDLE_TIMEOUT_S = 30;

  /** Platform request timeout, in milliseconds. */
  @Transform(toInt)
  @IsInt({
    message: 'CALLROUNDED_TIMEOUT_MS must be a whole number of milliseconds (100 to 120000)',
  })
  @Min(100, {
    message: 'CALLROUNDED_TIMEOUT_MS must be a whole number of milliseconds (100 to 120000)',
  })
  @Max(120000, {
    message: 'CALLROUNDED_TIMEOUT_MS must be a whole number of milliseconds (100 to 120000)',
  })
  CALLROUNDED_TIMEOUT_MS = 15000;

  /**
   * Statuses the platform may send that end a call, besides completed/failed/missed:
   * `voicemail=missed,busy` (`status=outcome`; a bare status counts as outcome `unknown`).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(TERMINAL_STATUSES_PATTERN, {
    message:
      'CALLROUNDED_TERMINAL_STATUSES must be a comma-separated list of status or status=outcome, with an outcome among completed, missed, failed, unknown and never the in-progress statuses created or ongoing (such as voicemail=missed,busy)',
  })
  CALLROUNDED_TERMINAL_STATUSES?: string = undefined;

  /** Failed authentications one client address may make per minute before it gets 429. */
  @Transform(toInt)
  @IsInt({ message: 'AUTH_FAILURES_PER_MINUTE must be a whole number between 1 and 10000' })
  @Min(1, { message: 'AUTH_FAILURES_PER_MINUTE must be a whole number between 1 and 10000' })
  @Max(10000, { message: 'AUTH_FAILURES_PER_MINUTE must be a whole number between 1 and 10000' })
  AUTH_FAILURES_PER_MINUTE = 20;

  /**
   * Lead variables and answers of campaigns finished longer ago than this many days are purged
   * (the counts stay); unset keeps them.
   */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'DATA_RETENTION_DAYS must be a whole number of days (1 to 36500)' })
  @Min(1, { message: 'DATA_RETENTION_DAYS must be a whole number of days (1 to 36500)' })
  @Max(36500, { message: 'DATA_RETENTION_DAYS must be a whole number of days (1 to 36500)' })
  DATA_RETENTION_DAYS?: number = undefined;

  /**
   * Webhook hosts an operator trusts: they may use plain http and any address (a CRM on the
   * private network). Comma-separated host names or IP addresses.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9.:[\]_-]+\s*(,\s*[A-Za-z0-9.:[\]_-]+\s*)*$/, {
    message:
      'WEBHOOK_ALLOWED_HOSTS must be a comma-separated list of host names or IP addresses, such as crm.internal,10.0.0.7',
  })
  WEBHOOK_ALLOWED_HOSTS?: string = undefined;

  /** The address the HTTP server listens on; unset: every interface. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIP(undefined, {
    message: 'BIND_ADDRESS must be an IP address such as 127.0.0.1, 0.0.0.0 or ::',
  })
  BIND_ADDRESS?: string = undefined;

  /** WEBHOOK_ALLOWED_HOSTS in lower case, IPv6 brackets removed. */
  get webhookAllowedHosts(): string[] {
    return (this.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) =>
        h
          .trim()
          .toLowerCase()
          .replace(/^\[|\]$/g, ''),
      )
      .filter(Boolean);
  }

  get simulation(): boolean {
    return !this.CALLROUNDED_API_KEY;
  }

  /** CALLROUNDED_TERMINAL_STATUSES as status → outcome, statuses in lower case. */
  get extraTerminalStatuses(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const item of (this.CALLROUNDED_TERMINAL_STATUSES ?? '').split(',')) {
      const [status, outcome] = item.split('=').map((s) => s.trim().toLowerCase());
      if (status) out[status] = outcome || 'unknown';
    }
    return out;
  }

  get apiKeys(): string[] {
    return (this.API_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Every variable has an initialiser (optional ones `undefined`), so the keys list them all.
  const known = Object.keys(new AppConfig());
  const picked: Record<string, unknown> = {};
  for (const name of known) if (env[name] !== undefined) picked[name] = env[name];
  const config = plainToInstance(AppConfig, picked, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.flatMap((e) =>
        [...new Set(Object.values(e.constraints ?? {}))].map((m) =>
          m.startsWith(e.property) ? `${m} (got "${redact(e.property, e.value)}")` : m,
        ),
      ),
    );
  }
  return config;
}

function redact(name: string, value: unknown): string {
  if (/KEY/.test(name)) return '***';
  if (name === 'DATABASE_URL' && typeof value === 'string')
    return value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return String(value);
}
