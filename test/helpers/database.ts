export * from '../kit/database';
