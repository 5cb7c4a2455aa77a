import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix
      ? /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`
      : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Problems listed in one answer, and the longest field name or message shown: a huge invalid body gets a short answer. */
const MAX_DETAILS = 50;
const MAX_TEXT = 200;

function clip(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}…`;
}

/** Rejects unknown fields and answers 400 with one `{field, message}` per problem (the first 50). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const all = flatten(errors);
      const details = all
        .slice(0, MAX_DETAILS)
        .map((d) => ({ field: clip(d.field), message: clip(d.message) }));
      const message =
        details
          .slice(0, 10)
          .map((d) => (d.message.startsWith(d.field) ? d.message : `${d.field}: ${d.message}`))
          .join('; ') + (all.length > 10 ? `; and ${all.length - 10} more problems` : '');
      return new BadRequestException({ message: message || 'Invalid request', details });
    },
  });
}
