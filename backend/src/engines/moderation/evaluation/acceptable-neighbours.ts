import { ModerationCategory } from '../categories';

/**
 * For each labelled category, the neighbouring categories an engine may fairly
 * flag on the same prompt as well (an insult that also reads as hate, a threat
 * that is also violence). The evaluation does not count them as false positives.
 */
export const ACCEPTABLE_NEIGHBOURS: Readonly<Record<ModerationCategory, readonly ModerationCategory[]>> = {
  harassment: ['harassment/threatening', 'self-harm', 'hate'],
  'harassment/threatening': ['harassment', 'violence', 'illicit/violent'],
  hate: ['harassment', 'hate/threatening'],
  'hate/threatening': ['hate', 'violence', 'harassment/threatening', 'illicit/violent', 'harassment'],
  illicit: ['illicit/violent'],
  'illicit/violent': ['illicit', 'violence', 'harassment/threatening'],
  'self-harm': ['self-harm/intent', 'self-harm/instructions', 'violence', 'violence/graphic'],
  'self-harm/intent': ['self-harm', 'self-harm/instructions'],
  'self-harm/instructions': ['self-harm', 'self-harm/intent'],
  sexual: ['harassment', 'sexual/minors'],
  'sexual/minors': ['sexual'],
  violence: ['violence/graphic', 'harassment/threatening', 'illicit/violent', 'hate', 'hate/threatening'],
  'violence/graphic': ['violence'],
};

/** The neighbours of all `labels` that are not labels themselves, in table order. */
export function acceptableNeighbours(labels: readonly ModerationCategory[]): ModerationCategory[] {
  const neighbours = new Set(labels.flatMap((label) => ACCEPTABLE_NEIGHBOURS[label]));
  return [...neighbours].filter((category) => !labels.includes(category));
}
