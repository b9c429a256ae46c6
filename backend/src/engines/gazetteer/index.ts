// Gazetteer engine: finds registered names (people, characters, works) in prompts, after the moderation normaliser (see README.md),
// and, as a secondary signal, the full names of people that name recognition finds.
export { Gazetteer, GazetteerPhraseError, phraseTokens, type GazetteerEntry, type GazetteerMatch } from './gazetteer';
export { findPersonNames, type PersonNameSpan } from './person-names';
