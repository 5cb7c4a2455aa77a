export * from '../kit/simulator';
export { leadNumber } from '../kit/factories';
export { freePort } from '../kit/ports';
