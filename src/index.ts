// The public library API of kubetally (SPEC §3).
export { KubetallyError, ERROR_CODES, type ErrorCode } from './domain/errors.js';
