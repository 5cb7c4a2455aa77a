// libphonenumber-js publishes its modern ES build (native object spread instead of Babel's
// helpers: about 30% less CPU per number, bench/import/RESULTS.md) only to `import`, so the
// CommonJS app reaches it through this ES module (Node ≥ 20.19 requires ES modules).
export {
  getCountries,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from 'libphonenumber-js/core/es6';
export type { CountryCode, MetadataJson } from 'libphonenumber-js/core/es6';
