import type { StageResultDto } from '@provenant/shared';

/**
 * The plain statement a stage put in its result for the reviewer (why it
 * flagged or blocked the clip, e.g. "this file is clip … by another creator,
 * in state RELEASED"), shown beside the stage rather than inside its raw JSON.
 */
export function stageNote(stage: StageResultDto): string | null {
  const note = stage.result?.['note'];
  return typeof note === 'string' && note.length > 0 ? note : null;
}
