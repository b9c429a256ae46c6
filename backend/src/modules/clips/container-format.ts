const CONTAINER_FORMATS: Record<string, { type: string; ext: string }> = {
  mp4: { type: 'video/mp4', ext: 'mp4' },
  mov: { type: 'video/quicktime', ext: 'mov' },
};
const UNKNOWN_FORMAT = { type: 'application/octet-stream', ext: 'bin' };

/** The media type and file extension a clip's media is served with, from the container media analysis found. */
export const containerFormat = (container: string | undefined): { type: string; ext: string } => CONTAINER_FORMATS[container ?? ''] ?? UNKNOWN_FORMAT;
