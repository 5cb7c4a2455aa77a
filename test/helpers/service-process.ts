export * from '../kit/processes';
export { freePort } from '../kit/ports';
