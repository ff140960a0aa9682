import { readFile } from 'node:fs/promises';
import type { DevnetCrypto } from './devnet-crypto';
import type { BatchSettings } from './gateway-service/block-cutter';
import { defaultBatchSettings } from './gateway-service/orderer';
import type { ChannelMembers } from './gateway-service/system-chaincodes/channel-config';

/**
 * What the channel's configuration (cscc GetChannelConfig) names: the organisations with their CA
 * and TLS CA certificates, the orderer (`OrdererMSP` at `ordererAddress`, served by the gateway's
 * TLS server, so its TLS CA and certificate are the gateway's) and the orderer's batch settings.
 */
export async function channelMembers(
  crypto: DevnetCrypto,
  orgIds: readonly string[],
  ordererAddress: string,
  batch: Partial<BatchSettings> = {},
): Promise<ChannelMembers> {
  return {
    organisations: orgIds.map((mspId) => ({ mspId, ...crypto.certificateAuthorities?.get(mspId) })),
    orderer: {
      mspId: 'OrdererMSP',
      address: ordererAddress,
      tlsCaCertificatePem: await readFile(crypto.tls.caPath, 'utf8'),
      tlsCertificatePem: crypto.tls.certificatePem,
    },
    batch: {
      maxMessageCount: batch.maxMessageCount ?? defaultBatchSettings.maxMessageCount,
      absoluteMaxBytes: batch.absoluteMaxBytes ?? defaultBatchSettings.absoluteMaxBytes,
      preferredMaxBytes: batch.preferredMaxBytes ?? defaultBatchSettings.preferredMaxBytes,
      batchTimeoutMs: batch.batchTimeoutMs ?? defaultBatchSettings.batchTimeoutMs,
    },
  };
}
