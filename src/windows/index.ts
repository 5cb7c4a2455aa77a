export * from './calling-window';
export * from './calling-window.service';
export * from './candidate-zones';
export * from './time-zones';
export * from './windows.module';
