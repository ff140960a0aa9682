/**
 * The channel's ACLs (`Application.ACLs` of Fabric 2.5's sampleconfig configtx.yaml, which the
 * devnet's ACL error texts follow): resource → `/Channel/Application/<policy>`. cscc
 * GetChannelConfig answers them as the Application group's `ACLs` value, and the system chaincodes
 * check their functions against them.
 */
export const channelAcls: Readonly<Record<string, 'Readers' | 'Writers'>> = {
  '_lifecycle/CheckCommitReadiness': 'Writers',
  '_lifecycle/CommitChaincodeDefinition': 'Writers',
  '_lifecycle/QueryChaincodeDefinition': 'Writers',
  '_lifecycle/QueryChaincodeDefinitions': 'Writers',
  'lscc/ChaincodeExists': 'Readers',
  'lscc/GetDeploymentSpec': 'Readers',
  'lscc/GetChaincodeData': 'Readers',
  'lscc/GetInstantiatedChaincodes': 'Readers',
  'qscc/GetChainInfo': 'Readers',
  'qscc/GetBlockByNumber': 'Readers',
  'qscc/GetBlockByHash': 'Readers',
  'qscc/GetTransactionByID': 'Readers',
  'qscc/GetBlockByTxID': 'Readers',
  'cscc/GetConfigBlock': 'Readers',
  'cscc/GetChannelConfig': 'Readers',
  'peer/Propose': 'Writers',
  'peer/ChaincodeToChaincode': 'Writers',
  'event/Block': 'Readers',
  'event/FilteredBlock': 'Readers',
};

/** The policy the channel maps `resource` to; undefined if it maps none. */
export function aclPolicyOf(resource: string): 'Readers' | 'Writers' | undefined {
  return Object.hasOwn(channelAcls, resource) ? channelAcls[resource] : undefined;
}
