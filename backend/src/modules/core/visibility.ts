import { ROLES_SEEING_ALL_CLIPS } from '@provenant/shared';
import type { Principal } from '../auth/principal';

/** Staff see every clip; a creator sees only their own. */
export const canSeeAllClips = (p: Principal): boolean => p.roles.some((r) => ROLES_SEEING_ALL_CLIPS.includes(r));

/** Whether `p` may see a clip created by `createdBy`; someone else's clip answers like a missing one. */
export const maySeeClip = (p: Principal, createdBy: string): boolean => canSeeAllClips(p) || createdBy === p.userId;
