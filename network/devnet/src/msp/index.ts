export type { MspRegistry, SigningIdentity, VerifiedIdentity, NodeOU } from './msp-registry';
export { newMspRegistry, newSigningIdentity, MspError } from './fabric-msp-registry';
export {
  createCertificateAuthority,
  issueCertificate,
  readAttributes,
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
export { loadGatewayIdentity, type GatewayIdentity } from './gateway-identity';
