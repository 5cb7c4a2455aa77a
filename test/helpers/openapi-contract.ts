export * from '../kit/openapi-contract';
