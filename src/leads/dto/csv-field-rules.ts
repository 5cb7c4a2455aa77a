import { ValidateBy, type ValidationOptions } from 'class-validator';
import * as iconv from 'iconv-lite';
import { isSupportedDefaultCountry } from '../csv/phone-normalizer';

/** An encoding name iconv-lite can decode. */
export function IsKnownEncoding(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isKnownEncoding',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length <= 40 && iconv.encodingExists(value),
        defaultMessage: () =>
          'encoding must be a known encoding such as utf-8, utf-16le, utf-16be or windows-1252',
      },
    },
    options,
  );
}

/** An ISO 3166-1 alpha-2 code with a numbering plan (FR, US, GB…). */
export function IsDefaultCountry(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDefaultCountry',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isSupportedDefaultCountry(value),
        defaultMessage: () =>
          'default_country must be a two-letter ISO 3166 country code such as FR or US',
      },
    },
    options,
  );
}
