// The text test media lives in test/support/text-media.ts with the rest of the generated test media, so the
// bench can use it without a spec helper in dist. The specs under src/modules and test/e2e still import it from here.
export { makeTextClip, makeTextImage } from '../../../test/support/text-media';
