export * from '../../kit/instances';
