import type { StageClip } from './pipeline-stage';

/** A StageClip for stage tests: an upload with nothing recorded yet, plus `over`. */
export function stageClip(over: Partial<StageClip> = {}): StageClip {
  return {
    id: 'c',
    source: 'upload',
    createdBy: 'creator-1',
    prompt: null,
    generator: null,
    referenceImageSha256: null,
    referenceImageType: null,
    mediaSha256: null,
    media: null,
    approvedMediaSha256: null,
    promptBlockGranted: false,
    ...over,
  };
}
