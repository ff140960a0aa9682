import { z } from 'zod';

/**
 * One explicit private data collection, in Fabric's collection-config JSON (what
 * `peer lifecycle chaincode approveformyorg --collections-config FILE` reads): the members are
 * the organisations its `policy` names (`OR('Org1MSP.member', 'Org2MSP.member')`).
 */
export const collectionConfigSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, _ and - (not starting with _ or -)')
    .max(64),
  policy: z.string().min(1),
  requiredPeerCount: z.number().int().min(0).default(0),
  /** The peer CLI's default when the file leaves it out: 1. */
  maxPeerCount: z.number().int().min(0).default(1),
  /** Blocks after which the private data is purged (0 = kept for ever). */
  blockToLive: z.number().int().min(0).default(0),
  memberOnlyRead: z.boolean().default(false),
  memberOnlyWrite: z.boolean().default(false),
  endorsementPolicy: z
    .union([
      z.strictObject({ signaturePolicy: z.string().min(1) }),
      z.strictObject({ channelConfigPolicy: z.string().min(1) }),
    ])
    .optional(),
});

export type CollectionConfig = z.infer<typeof collectionConfigSchema>;

/** A collection-config file's content: an array of collections, names unique. */
export const collectionConfigFileSchema = z.array(collectionConfigSchema).superRefine((collections, ctx) => {
  const seen = new Set<string>();
  collections.forEach((c, i) => {
    if (seen.has(c.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `collection ${c.name} is defined twice` });
    seen.add(c.name);
  });
});

/** A collection config as written (its defaults not yet filled in). */
export type CollectionConfigInput = z.input<typeof collectionConfigSchema>;
