export * from '../kit/response-recorder';
