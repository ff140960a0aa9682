import { channelConfig, configSequence } from './channel-config';
import {
  checkAcl,
  failure,
  success,
  textArg,
  type SystemInvocation,
  type SystemResponse,
} from './system-chaincode';

/** cscc functions of a Fabric 2.5 peer that the devnet does not serve. */
const notServed = new Set([
  'JoinChain',
  'JoinChainBySnapshot',
  'JoinBySnapshotStatus',
  'GetConfigBlock',
  'GetChannels',
]);

/**
 * `cscc`, the peer's configuration system chaincode, as Fabric 2.5.5's `core/scc/cscc` answers it:
 * `GetChannelConfig` with the channel as argument answers the marshalled `common.Config` of the
 * channel after checking `cscc/GetChannelConfig` (`/Channel/Application/Readers`); its error texts
 * are Fabric's. The devnet's config blocks record only chaincode definitions, so the configuration
 * is that of the channel's members (`channel-config.ts`) at the sequence of the latest config block.
 * The other cscc functions (joining channels, GetConfigBlock, GetChannels) are not served.
 */
export async function invokeCscc(invocation: SystemInvocation): Promise<SystemResponse> {
  const { args, ctx } = invocation;
  if (args.length < 1) return failure(`Incorrect number of arguments, ${args.length}`);
  const fname = textArg(invocation, 0);
  if (fname !== 'GetChannels' && fname !== 'JoinBySnapshotStatus' && args.length < 2)
    return failure(`Incorrect number of arguments, ${args.length}`);
  if (notServed.has(fname))
    return failure(`cscc ${fname} is not served by the devnet (only GetChannelConfig)`);
  if (fname !== 'GetChannelConfig') return failure(`Requested function ${fname} not found.`);

  const channel = textArg(invocation, 1);
  if (channel === '') return failure('empty channel name provided');
  const denied = (reason: string) => failure(`access denied for [${fname}][${channel}]: ${reason}`);
  // A peer has no policies for a channel it has not joined (`core/policy` CheckPolicy).
  if (channel !== ctx.ledger.channelId)
    return denied(`Failed to get policy manager for channel [${channel}]`);
  const refused = checkAcl(invocation, 'cscc/GetChannelConfig');
  if (refused !== undefined) return denied(refused);
  const config = channelConfig(ctx.channel, await configSequence(ctx.ledger));
  return success(config.serializeBinary());
}
