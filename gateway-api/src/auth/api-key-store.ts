import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * API keys, stored hashed. Keys are 256 random bits, so a plain SHA-256 is enough to make a
 * leaked store useless (a slow KDF protects low-entropy passwords, which these are not) and
 * keeps authentication cheap on every request.
 */
const recordSchema = z.object({
  keyId: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  identity: z.string(),
  label: z.string().default(''),
  /** SHA-256 of the identity's certificate when the key was made: the key is for that certificate only. */
  certificateSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});
const storeSchema = z.object({ version: z.literal(1), keys: z.array(recordSchema) });
export type ApiKeyRecord = z.infer<typeof recordSchema>;

const PREFIX = 'clk_';

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * The key store file. A running gateway sees keys created or revoked by `npm run apikey` within
 * `refreshMs`: it checks the file's modification time at most that often.
 */
export class ApiKeyStore {
  readonly #path: string;
  readonly #refreshMs: number;
  #records: ApiKeyRecord[] = [];
  readonly #byHash = new Map<string, ApiKeyRecord>();
  #loadedMtimeMs = -1;
  #checkedAt = 0;

  constructor(path: string, options: Readonly<{ refreshMs?: number }> = {}) {
    this.#path = path;
    this.#refreshMs = options.refreshMs ?? 1000;
    this.reload();
  }

  #mtimeMs(): number {
    try {
      return statSync(this.#path).mtimeMs;
    } catch {
      return -1;
    }
  }

  /** Reload when another process changed the file (checked at most every `refreshMs`). */
  #refresh(force = false): void {
    const now = Date.now();
    if (!force && now - this.#checkedAt < this.#refreshMs) return;
    this.#checkedAt = now;
    if (this.#mtimeMs() === this.#loadedMtimeMs) return;
    try {
      this.reload();
    } catch {
      // A half-written or damaged file keeps the keys already loaded; the next check tries again.
    }
  }

  /** @throws Error when the file exists but is not a valid key store. */
  reload(): void {
    this.#loadedMtimeMs = this.#mtimeMs();
    this.#records = [];
    if (existsSync(this.#path)) {
      const parsed = storeSchema.safeParse(JSON.parse(readFileSync(this.#path, 'utf8')));
      if (!parsed.success)
        throw new Error(`${this.#path} is not a valid API-key store: ${parsed.error.message}`);
      this.#records = parsed.data.keys;
    }
    this.#byHash.clear();
    for (const r of this.#records) if (!r.revokedAt) this.#byHash.set(r.sha256, r);
  }

  /**
   * Create a key for a wallet identity, bound to its current certificate (`certificateSha256`):
   * the key itself is returned once and never stored.
   */
  create(identity: string, label = '', certificateSha256?: string): { key: string; record: ApiKeyRecord } {
    this.#refresh(true);
    const key = PREFIX + randomBytes(32).toString('base64url');
    const sha256 = digest(key).toString('hex');
    const record: ApiKeyRecord = {
      keyId: sha256.slice(0, 12),
      sha256,
      identity,
      label,
      ...(certificateSha256 === undefined ? {} : { certificateSha256 }),
      createdAt: new Date().toISOString(),
    };
    this.#records.push(record);
    this.#byHash.set(sha256, record);
    this.#save();
    return { key, record };
  }

  revoke(keyId: string): boolean {
    this.#refresh(true);
    const record = this.#records.find((r) => r.keyId === keyId && !r.revokedAt);
    if (!record) return false;
    record.revokedAt = new Date().toISOString();
    this.#byHash.delete(record.sha256);
    this.#save();
    return true;
  }

  list(): readonly ApiKeyRecord[] {
    return this.#records;
  }

  /** The identity a presented key stands for, or undefined. */
  verify(key: string): string | undefined {
    return this.verifyRecord(key)?.identity;
  }

  /** The record of a presented key (identity, the certificate it is bound to), or undefined. */
  verifyRecord(key: string): ApiKeyRecord | undefined {
    if (!key.startsWith(PREFIX) || key.length > 100) return undefined;
    this.#refresh();
    const hash = digest(key);
    const record = this.#byHash.get(hash.toString('hex'));
    if (!record || !timingSafeEqual(hash, Buffer.from(record.sha256, 'hex'))) return undefined;
    return record;
  }

  #save(): void {
    mkdirSync(dirname(this.#path), { recursive: true });
    const tmp = `${this.#path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, keys: this.#records }, null, 2), { mode: 0o600 });
    renameSync(tmp, this.#path);
    this.#loadedMtimeMs = this.#mtimeMs();
  }
}
