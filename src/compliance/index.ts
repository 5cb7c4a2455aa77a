export * from './compliance-settings';
export * from './evaluate';
export * from './jurisdiction';
export * from './rule-loader';
export * from './rules/types';
export * from './compliance.module';
export * from './compliance.service';
export * from './contact-history';
