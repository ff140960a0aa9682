import { z } from 'zod';

/**
 * Every setting of the gateway, read once from the environment and validated at start.
 * The README's configuration table is checked against `configSchema` by a test.
 */
const duration = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port of the REST API'),
  HOST: z.string().default('127.0.0.1').describe('Interface to listen on (0.0.0.0 for all)'),
  CARELEDGER_CONNECTION: z
    .string()
    .optional()
    .describe('Connection file of a running network; unset = start the embedded network'),
  CARELEDGER_DATA_DIR: z
    .string()
    .default('.careledger')
    .describe('State directory: embedded ledger, API-key store'),
  API_KEYS_FILE: z.string().optional().describe('API-key store (default: <data dir>/api-keys.json)'),
  JWT_JWKS_URL: z.url().optional().describe('JWKS URL of an external token issuer; enables bearer JWTs'),
  JWT_ISSUER: z.string().optional().describe('Required `iss` of bearer JWTs'),
  JWT_AUDIENCE: z.string().optional().describe('Required `aud` of bearer JWTs'),
  JWT_IDENTITY_CLAIM: z
    .string()
    .default('careledger_identity')
    .describe('JWT claim naming the wallet identity the caller acts as'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  BODY_LIMIT: z.string().default('256kb').describe('Largest accepted JSON body'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .describe('Comma-separated origins allowed by CORS; empty = no CORS headers'),
  EVALUATE_TIMEOUT_MS: duration(5000).describe('Deadline of an evaluate'),
  ENDORSE_TIMEOUT_MS: duration(15000).describe('Deadline of an endorsement'),
  SUBMIT_TIMEOUT_MS: duration(5000).describe('Deadline of a submit to the orderer'),
  COMMIT_TIMEOUT_MS: duration(60000).describe('How long a write waits for its commit'),
  RETRY_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(3)
    .describe('Retries of MVCC conflicts and transient failures'),
  SHUTDOWN_GRACE_MS: duration(10000).describe('Time in-flight requests get on shutdown'),
});

export type Config = z.infer<typeof configSchema>;

/**
 * Read the configuration from an environment.
 * @throws Error listing every invalid variable and why.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`invalid configuration:\n${lines.join('\n')}`);
}
