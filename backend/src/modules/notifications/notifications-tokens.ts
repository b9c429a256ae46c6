/** Injection tokens of the webhook modules' plain-class instances. */
export const WEBHOOK_EGRESS = Symbol('WEBHOOK_EGRESS');
export const WEBHOOK_SECRET_BOX = Symbol('WEBHOOK_SECRET_BOX');
