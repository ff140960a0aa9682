import { z } from 'zod';

/**
 * Every setting of the gateway, read once from the environment and validated at start.
 * The README's configuration table is checked against `configSchema` by a test.
 */
const duration = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** A whole number in [min, max], `fallback` when unset. */
const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const configSchema = z.object({
  PORT: count(0, 65535, 3000).describe('HTTP port of the REST API'),
  HOST: z.string().default('127.0.0.1').describe('Interface to listen on (0.0.0.0 for all)'),
  CARELEDGER_CONNECTION: z
    .string()
    .optional()
    .describe('Connection file of a running network; unset = start the embedded network'),
  CARELEDGER_DATA_DIR: z
    .string()
    .default('.careledger')
    .describe('State directory: embedded ledger, API-key store, intake of asynchronous readings'),
  EMBEDDED_POLICY: z
    .string()
    .default('ANY')
    .describe('Chaincode endorsement policy of the embedded network (ANY, MAJORITY, ALL, OR(…))'),
  API_KEYS_FILE: z.string().optional().describe('API-key store (default: `<data dir>/api-keys.json`)'),
  JWT_JWKS_URL: z.url().optional().describe('JWKS URL of an external token issuer; enables bearer JWTs'),
  JWT_ISSUER: z.string().optional().describe('Required `iss` of bearer JWTs'),
  JWT_AUDIENCE: z.string().optional().describe('Required `aud` of bearer JWTs'),
  JWT_MAX_LIFETIME_S: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(12 * 3600)
    .describe('Longest lifetime (exp − iat) of a bearer JWT, in s; a token without exp is refused'),
  JWT_IDENTITY_CLAIM: z
    .string()
    .default('careledger_identity')
    .describe('JWT claim (dotted path) naming the wallet identity the caller acts as'),
  JWT_ORG_CLAIM: z
    .string()
    .optional()
    .describe('With JWT_USER_CLAIM: claim holding the MSP ID; the identity is that organisation’s user'),
  JWT_USER_CLAIM: z
    .string()
    .optional()
    .describe('With JWT_ORG_CLAIM: claim holding the user name (e.g. doctor) within the organisation'),
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
  STATUS_POLL_MS: duration(2000).describe(
    'How long GET /transactions/{id} waits for a commit before answering "pending"',
  ),
  READY_TIMEOUT_MS: duration(2000).describe('Deadline of the /readyz evaluate'),
  RETRY_ATTEMPTS: count(0, 10, 3).describe('Retries of MVCC conflicts and transient failures'),
  MAX_WRITES_IN_FLIGHT: count(1, 100_000, 256).describe(
    'Writes the gateway admits at once; one more is refused at once with 503 OVERLOADED and Retry-After',
  ),
  MAX_WRITE_QUEUE_DELAY_MS: duration(250).describe(
    'Once writes wait this much longer than the fastest recent one, only as many are admitted as the ledger commits in that time; the rest 503 OVERLOADED',
  ),
  MAX_EVENT_LOOP_LAG_MS: duration(250).describe(
    'Writes are refused at once with 503 OVERLOADED while the event loop runs later than this',
  ),
  INTAKE_MAX_READINGS: count(1, 10_000_000, 100_000).describe(
    'Readings accepted with Prefer: respond-async and not yet committed, at most; one more is refused 503 OVERLOADED',
  ),
  INTAKE_CONCURRENCY: count(1, 10_000, 64).describe(
    'Transactions the intake has in flight at once while it sends queued readings to the ledger',
  ),
  INTAKE_RETENTION_S: duration(7 * 24 * 3600).describe(
    'How long the status URL of a settled submission keeps answering, in s',
  ),
  SIGNED_BATCH_MAX: count(1, 500, 50).describe(
    'Device-signed readings per shared transaction at most (the chaincode takes 500)',
  ),
  SIGNED_BATCH_IN_FLIGHT: count(1, 64, 8).describe(
    'Shared transactions of signed readings in flight per organisation; more readings wait and go together',
  ),
  SIGNED_BATCH_MAX_WAIT_MS: duration(250).describe(
    'A signed reading that would wait behind one waiting longer than this is refused at once with 503 OVERLOADED',
  ),
  SHUTDOWN_GRACE_MS: duration(10000).describe(
    'How long shutdown waits for requests in flight before it closes the connections left and then the ledger',
  ),
});

export type Config = z.infer<typeof configSchema>;

/** Command-line flags of `npm start`, each the same as its environment variable. */
const startFlags = {
  connection: 'CARELEDGER_CONNECTION',
  'data-dir': 'CARELEDGER_DATA_DIR',
  port: 'PORT',
  host: 'HOST',
} as const;

export const startUsage = `Usage: npm start -- [--connection FILE] [--data-dir DIR] [--port N] [--host ADDR]

  --connection FILE  connection file of a running network (default: start the embedded network)
  --data-dir DIR     state directory (default .careledger)
  --port N           HTTP port (default 3000)
  --host ADDR        interface to listen on (default 127.0.0.1)
Every setting can also be given as an environment variable (gateway-api/README.md).
`;

/**
 * The environment with the flags of `npm start` applied over it.
 * @throws Error on an unknown flag or a flag without its value.
 */
export function applyStartFlags(argv: readonly string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i] ?? '');
    const name = match?.[1] as keyof typeof startFlags | undefined;
    if (!match || name === undefined || !(name in startFlags)) throw new Error(`unknown argument ${argv[i]}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
    out[startFlags[name]] = value;
  }
  return out;
}

/** The process environment: the one place the gateway reads it. */
export function readEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}

/**
 * Read the configuration from an environment.
 * @throws Error listing every invalid variable and why.
 */
export function loadConfig(env: NodeJS.ProcessEnv = readEnvironment()): Config {
  const result = configSchema
    .refine((c) => (c.JWT_ORG_CLAIM === undefined) === (c.JWT_USER_CLAIM === undefined), {
      message: 'set both JWT_ORG_CLAIM and JWT_USER_CLAIM, or neither',
      path: ['JWT_ORG_CLAIM'],
    })
    .safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`invalid configuration:\n${lines.join('\n')}`);
}
