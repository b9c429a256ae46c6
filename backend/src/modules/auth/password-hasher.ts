import { Algorithm, hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's suggested minimums (19 MiB, 2 passes). */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PasswordHasher = {
  hash: (password: string): Promise<string> => hash(password, OPTIONS),
  verify: (stored: string, password: string): Promise<boolean> => verify(stored, password).catch(() => false),
};
