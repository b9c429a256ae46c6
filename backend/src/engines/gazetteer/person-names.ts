import { nlp } from '../moderation/text/relations/nlp';

/** A span of text that name recognition reads as a person's full name. */
export interface PersonNameSpan {
  start: number;
  end: number;
  text: string;
}

/**
 * Full names of people (two words or more) that compromise's name
 * recognition finds in `text`. A secondary signal beside the registry: it
 * finds "Barack Obama" but only "Taylor" of "Taylor Swift" and "tom" of "tom
 * hanks", and reads "Mr Whiskers" the cat as a person, so callers only ever
 * send what it finds to a human. One-word hits are dropped: a first name
 * alone names nobody in particular.
 */
export function findPersonNames(text: string): PersonNameSpan[] {
  const people = nlp()(text).people().json({ offset: true }) as Array<{ terms: unknown[]; offset: { start: number; length: number } }>;
  return people
    .filter((p) => p.terms.length >= 2)
    .map((p) => ({ start: p.offset.start, end: p.offset.start + p.offset.length, text: text.slice(p.offset.start, p.offset.start + p.offset.length) }));
}
