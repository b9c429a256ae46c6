export * from './audit';
export * from './checks';
export * from './clip-state';
export * from './dto';
export * from './moderation';
export * from './reason-codes';
export * from './review';
export * from './roles';
