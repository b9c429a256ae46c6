// Gazetteer engine: finds registered names (people, characters, works) in prompts, after the moderation normaliser (see README.md).
export { Gazetteer, GazetteerPhraseError, phraseTokens, type GazetteerEntry, type GazetteerMatch } from './gazetteer';
