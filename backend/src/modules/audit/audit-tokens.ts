/** The CheckpointSigner for the audit log. */
export const AUDIT_SIGNER = Symbol('AUDIT_SIGNER');
