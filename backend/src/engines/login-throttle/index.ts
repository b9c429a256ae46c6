export { admit, expiresAt, FAILURES_BEFORE_DELAY, giveBack, recordFailure, type Admission, type ThrottleCounter, type ThrottleRule } from './throttle-counter';
export { clientNetwork } from './client-network';
