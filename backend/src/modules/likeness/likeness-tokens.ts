/** The SecretBox that seals face templates (LIKENESS_TEMPLATE_KEY). */
export const LIKENESS_TEMPLATE_BOX = Symbol('LIKENESS_TEMPLATE_BOX');
