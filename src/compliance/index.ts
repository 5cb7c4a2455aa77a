export * from './compliance-settings';
export * from './evaluate';
export * from './jurisdiction';
export * from './rule-loader';
export * from './rules/types';
