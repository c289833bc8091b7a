import argon2 from 'argon2';

// OWASP's argon2id floor: 19 MiB memory, 2 passes, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, OPTIONS);

let verifications = 0;
/** How many argon2 verifications this process has started: tests read it to prove a limit held under a burst. */
export const passwordVerifications = () => verifications;

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (!hash) return false;
  verifications++;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so both paths take the same time. */
let dummyHash: Promise<string> | null = null;
export const timingDummyHash = () => (dummyHash ??= hashPassword('tongpin-timing-dummy'));

/** Initial passwords: the same generator the new-user dialog uses. */
export { generatePassword } from '../../shared/initialPassword';
