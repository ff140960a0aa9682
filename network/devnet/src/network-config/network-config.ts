import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { UsageError } from '@careledger/fabric-toolkit';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { collectionConfigFileSchema, type CollectionConfig } from './collection-config';

const mspIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'letters, digits, . and - (an MSP ID such as Org1MSP)')
  .max(64);

/** Fabric's channel name rule (configtxgen): lower case ASCII letters, digits, `.` and `-`, starting with a letter. */
export const channelNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9.-]*$/, 'lower case letters, digits, . and -, starting with a letter (Fabric’s rule)')
  .max(249);

export const chaincodeNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, _ and - only');

const chaincodeSchema = z.strictObject({
  name: chaincodeNameSchema,
  /** A Node chaincode directory, relative to the file. */
  path: z.string().min(1),
  version: z.string().min(1).default('1.0'),
  policy: z.string().min(1).default('MAJORITY'),
  /** Fabric's collection-config JSON: the collections themselves, or a file of them (relative to this file). */
  collections: z.union([z.string().min(1), collectionConfigFileSchema]).optional(),
});

/** A network configuration file (JSON or YAML): which network `npm run devnet -- --config FILE` starts. */
export const networkConfigSchema = z.strictObject({
  channel: channelNameSchema.optional(),
  organisations: z
    .array(
      z.strictObject({
        mspId: mspIdSchema,
        /** The organisation's type as the application knows it (written to the connection file). */
        type: z.string().min(1).default('member'),
        users: z
          .array(
            z.strictObject({
              name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
              role: z.string().min(1),
              attrs: z.record(z.string(), z.string()).optional(),
            }),
          )
          .optional(),
      }),
    )
    .min(1)
    .superRefine((orgs, ctx) => {
      const seen = new Set<string>();
      orgs.forEach((o, i) => {
        if (seen.has(o.mspId))
          ctx.addIssue({ code: 'custom', path: [i, 'mspId'], message: `${o.mspId} is listed twice` });
        seen.add(o.mspId);
      });
    })
    .optional(),
  chaincodes: z
    .array(chaincodeSchema)
    .min(1)
    .superRefine((chaincodes, ctx) => {
      const seen = new Set<string>();
      chaincodes.forEach((c, i) => {
        if (seen.has(c.name))
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `chaincode ${c.name} is listed twice` });
        seen.add(c.name);
      });
    })
    .optional(),
  batch: z
    .strictObject({
      maxMessageCount: z.number().int().min(1).max(10_000).optional(),
      batchTimeoutMs: z.number().int().min(0).max(60_000).optional(),
      preferredMaxBytes: z.number().int().min(1024).optional(),
      absoluteMaxBytes: z.number().int().min(1024).optional(),
    })
    .optional(),
  dataDir: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
});

/** A chaincode of the network, its paths absolute and its collections read. */
export interface ChaincodeSetting {
  readonly name: string;
  readonly dir: string;
  readonly version: string;
  readonly policy: string;
  readonly collections?: readonly CollectionConfig[];
}

/** A network configuration file as read: paths absolute, collection files loaded. */
export type NetworkConfig = Omit<z.infer<typeof networkConfigSchema>, 'chaincodes' | 'dataDir'> & {
  readonly chaincodes?: readonly ChaincodeSetting[];
  readonly dataDir?: string;
};

function parseFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'JSON or YAML'}: ${(err as Error).message}`,
    );
  }
}

function validated<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new UsageError(`${file}: ${at}${issue?.message ?? 'invalid'}`);
}

/**
 * Reads a network configuration file (`.json`, `.yaml` or `.yml`). Paths in it are relative to
 * the file's own directory, as in a compose file; a `collections` file name is read here.
 * @throws UsageError naming the file and the field when it cannot be read or is not valid.
 */
export function loadNetworkConfig(path: string): NetworkConfig {
  const file = resolve(path);
  const base = dirname(file);
  const { chaincodes, dataDir, ...config } = validated(networkConfigSchema, parseFile(file), file);
  return {
    ...config,
    ...(dataDir === undefined ? {} : { dataDir: resolve(base, dataDir) }),
    ...(chaincodes === undefined
      ? {}
      : {
          chaincodes: chaincodes.map(({ path: dir, collections, ...cc }): ChaincodeSetting => {
            let loaded: readonly CollectionConfig[] | undefined;
            if (typeof collections === 'string') {
              const named = resolve(base, collections);
              loaded = validated(collectionConfigFileSchema, parseFile(named), named);
            } else loaded = collections;
            return {
              ...cc,
              dir: resolve(base, dir),
              ...(loaded === undefined ? {} : { collections: loaded }),
            };
          }),
        }),
  };
}
