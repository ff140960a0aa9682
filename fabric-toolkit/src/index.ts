/**
 * The Fabric toolkit: what CareLedger's clients and networks share, with nothing of CareLedger in
 * it. Connection files (and Fabric's common connection profile), MSP and certificate tooling and
 * its CLI, native low-S signing, one client factory, one Fabric error classifier, Fabric's own
 * message texts, and spawning a process until it announces it is ready.
 */
export {
  loadConnectionFile,
  writeConnectionFile,
  tlsRootsOf,
  identityNamed,
  connectionFileSchema,
  ConnectionFileError,
  type ConnectionFile,
  type ConnectionIdentity,
  type ConnectionOrganisation,
} from './connection/connection-file';
export {
  connectionProfileOf,
  writeConnectionProfiles,
  type ConnectionProfile,
} from './connection/connection-profile';
export { targetOf, endpointFor, type FabricTarget } from './client/fabric-target';
export { GrpcConnections, type GrpcConnectionOptions } from './client/grpc-connections';
export {
  clientAs,
  clientFor,
  defaultDeadlines,
  type ClientDeadlines,
  type ClientOptions,
  type FabricClient,
  type FabricClientIdentity,
} from './client/client-for';
export {
  privateWritesOf,
  type DeliveredPrivateData,
  type DeliveredPrivateWrite,
} from './client/private-writes';
export {
  classifyFabricError,
  isSubmitError,
  validationCodeName,
  MVCC_READ_CONFLICT,
  PHANTOM_READ_CONFLICT,
  type FabricFailure,
  type FabricFailureKind,
  type FabricPhase,
} from './errors/fabric-failure';
export { TIMEOUT_MESSAGE, PAGINATED_WRITE_MESSAGE, CONCURRENCY_LIMIT_MESSAGE } from './fabric-messages';
export { UsageError } from './usage-error';
export {
  spawnUntilReady,
  announceReady,
  type ReadyProcess,
  type SpawnOptions,
} from './process/spawn-until-ready';
export { residentMemoryMB, cpuSeconds } from './process/process-usage';
export { fillDisk, mountSmallDisk, unmountSmallDisk } from './process/fill-disk';
export type { MspRegistry, SigningIdentity, VerifiedIdentity, NodeOU } from './msp/msp-registry';
export { MspError, type MspErrorKind } from './msp/msp-error';
export {
  newMspRegistry,
  newSigningIdentity,
  serializeIdentity,
  type MspRegistryOptions,
} from './msp/fabric-msp-registry';
export {
  createCertificateAuthority,
  issueCertificate,
  readAttributes,
  fabricAttributesJson,
  FABRIC_ATTRS_OID,
  type CertificateAuthority,
  type IssueOptions,
  type KeyPair,
} from './msp/certificate-authority';
export {
  createOrganization,
  enrollUser,
  loadOrganization,
  domainOf,
  nodeOuConfig,
  shortName,
  type LayoutIdentity,
  type LayoutNode,
  type LayoutOrganization,
  type OrgKind,
} from './msp/crypto-layout';
export { isLowS, toLowS } from './msp/low-s-signature';
export { loadOrganizations, type LoadedOrganization } from './msp/load-organizations';
export { loadMspRegistry, loadSigningIdentity } from './msp/load-msp-registry';
export { readIdentityFiles, type IdentityFiles, type IdentityLocation } from './msp/identity-files';
export { loadGatewayIdentity, type GatewayIdentity } from './msp/gateway-identity';
export { nativeGatewaySigning, type GatewaySigning } from './msp/native-gateway-signing';
export { certificateSha256 } from './msp/certificate-fingerprint';
export { runCertsCli, type CertsProfile, type DemoUser } from './msp/certs-cli';
