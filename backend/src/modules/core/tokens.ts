/** Injection tokens for engine instances, which are plain classes without Nest decorators. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const CONTENT_STORE = Symbol('CONTENT_STORE');
export const FFMPEG_BINARIES = Symbol('FFMPEG_BINARIES');
