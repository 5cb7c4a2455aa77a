export * from '../kit/app';
