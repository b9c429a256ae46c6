/** Injection tokens of the provenance module's engine instances (plain classes). */
export const WATERMARK_KEY = Symbol('WATERMARK_KEY');
export const C2PA_CREDENTIALS = Symbol('C2PA_CREDENTIALS');
