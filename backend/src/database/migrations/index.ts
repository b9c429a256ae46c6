import { InitialSchema1764158400000 } from './1764158400000-initial-schema';

/** Every migration, in order. Never edit an applied migration; add a new one. */
export const migrations = [InitialSchema1764158400000];
