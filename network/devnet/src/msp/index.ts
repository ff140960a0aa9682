export type { MspRegistry, SigningIdentity, VerifiedIdentity, NodeOU } from './msp-registry';
export { MspError, type MspErrorKind } from './msp-error';
export {
  newMspRegistry,
  newSigningIdentity,
  serializeIdentity,
  type MspRegistryOptions,
} from './fabric-msp-registry';
export {
  createCertificateAuthority,
  issueCertificate,
  readAttributes,
  fabricAttributesJson,
  FABRIC_ATTRS_OID,
  type CertificateAuthority,
  type IssueOptions,
  type KeyPair,
} from './certificate-authority';
export {
  createOrganization,
  enrollUser,
  loadOrganization,
  domainOf,
  shortName,
  type LayoutIdentity,
  type LayoutNode,
  type LayoutOrganization,
  type OrgKind,
} from './crypto-layout';
export { fileCryptoProvider } from './file-crypto-provider';
export { isLowS, toLowS } from './low-s-signature';
export { loadOrganizations, type LoadedOrganization } from './load-organizations';
export { loadMspRegistry, loadSigningIdentity } from './load-msp-registry';
export { readIdentityFiles, type IdentityFiles, type IdentityLocation } from './identity-files';
export { loadGatewayIdentity, type GatewayIdentity } from './gateway-identity';
export { nativeGatewaySigning, type GatewaySigning } from './native-gateway-signing';
export { demoUsers, type DemoUser } from './demo-identities';
