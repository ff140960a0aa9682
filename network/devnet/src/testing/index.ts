/**
 * Test support for code that runs on the devnet, in memory: a channel ledger on which the
 * devnet's own proposal simulator and commit rules run, and fabric-shim's ChaincodeStub
 * connected to it in-process, for calling chaincode contracts as a peer would.
 */
export { InMemoryChannel, type InMemoryChannelOptions, type ProposalOptions } from './in-memory-channel';
export {
  InMemoryLedger,
  type InMemoryCommit,
  type InMemoryLedgerOptions,
  type InMemorySimulatorOptions,
} from './in-memory-ledger';
export { InMemoryState } from './in-memory-state';
export { InProcessShim, type InProcessShimOptions, type InProcessTransaction } from './in-process-shim';
export { SimulatedProposal, type ChaincodeEventOf, type SimulationOutcome } from './simulated-proposal';
export { newTestProposal, type TestProposal, type TestProposalOptions } from './test-signed-proposal';
export { worldStateView, type WorldStateView } from './world-state-view';
export { hasWrites, namespaceWrites, namespacesOf, type KeyWrite, type NamespaceWrites } from './write-set';
export { PRIVATE_DATA_NOT_AVAILABLE } from './fabric-texts';
