/** A policy document was rejected; `issues` lists every problem as "path: message". */
export class PolicyValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid moderation policy: ${issues.join('; ')}`);
    this.name = 'PolicyValidationError';
  }
}
