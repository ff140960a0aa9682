import { common, msp } from '@hyperledger/fabric-protos';
import type { ProtoMap } from '../../ledger/proto-timestamp';
import { parseSignaturePolicy } from '../../policy';

/**
 * The pieces of a channel configuration as Fabric's configtxgen encodes them
 * (`internal/configtxgen/encoder`): values and policies with their mod_policy, groups of them,
 * and an organisation's MSP value.
 */
const ADMINS = 'Admins';

export type Entries<T> = readonly (readonly [string, T])[];

/** A ConfigGroup of these values, policies and groups, modified by `Admins` as configtxgen writes it. */
export function configGroup(
  values: Entries<common.ConfigValue>,
  policies: Entries<common.ConfigPolicy>,
  groups: Entries<common.ConfigGroup> = [],
): common.ConfigGroup {
  const group = new common.ConfigGroup();
  group.setModPolicy(ADMINS);
  const put = <T>(map: unknown, entries: Entries<T>): void => {
    for (const [key, entry] of entries) (map as ProtoMap<T>).set(key, entry);
  };
  put(group.getValuesMap(), values);
  put(group.getPoliciesMap(), policies);
  put(group.getGroupsMap(), groups);
  return group;
}

/** A config value holding `message`, modified by `modPolicy` (default `Admins`). */
export function configValue(
  key: string,
  message: { serializeBinary(): Uint8Array },
  modPolicy = ADMINS,
): readonly [string, common.ConfigValue] {
  const value = new common.ConfigValue();
  value.setModPolicy(modPolicy);
  value.setValue(message.serializeBinary());
  return [key, value];
}

function configPolicy(name: string, type: number, value: Uint8Array): readonly [string, common.ConfigPolicy] {
  const policy = new common.Policy();
  policy.setType(type);
  policy.setValue(value);
  const entry = new common.ConfigPolicy();
  entry.setModPolicy(ADMINS);
  entry.setPolicy(policy);
  return [name, entry];
}

/** An ImplicitMeta policy such as `MAJORITY Admins`. */
export function implicitMeta(
  name: string,
  rule: 'ANY' | 'ALL' | 'MAJORITY',
  subPolicy: string,
): readonly [string, common.ConfigPolicy] {
  const meta = new common.ImplicitMetaPolicy();
  meta.setRule(common.ImplicitMetaPolicy.Rule[rule]);
  meta.setSubPolicy(subPolicy);
  return configPolicy(name, common.Policy.PolicyType.IMPLICIT_META, meta.serializeBinary());
}

/** A Signature policy given as configtx.yaml writes it, such as `OR('Org1MSP.admin')`. */
export function signature(name: string, rule: string): readonly [string, common.ConfigPolicy] {
  return configPolicy(name, common.Policy.PolicyType.SIGNATURE, parseSignaturePolicy(rule).serializeBinary());
}

/** A `Capabilities` value requiring one capability, such as `V2_0`. */
export function capabilities(name: string): readonly [string, common.ConfigValue] {
  const message = new common.Capabilities();
  (message.getCapabilitiesMap() as unknown as ProtoMap<common.Capability>).set(name, new common.Capability());
  return configValue('Capabilities', message);
}

/** An organisation's certificates as its MSP folder holds them (PEM); absent ones are left out. */
export interface MspCertificates {
  readonly mspId: string;
  readonly caCertificatePem?: string;
  readonly tlsCaCertificatePem?: string;
}

/**
 * The `MSP` value of an organisation: a FABRIC MSPConfig with its CA as root, its TLS CA, SHA2
 * crypto and NodeOUs enabled (client, peer, admin, orderer, each certified by the CA), as
 * configtxgen reads an MSP folder the toolkit writes (`nodeOuConfig`).
 */
export function mspValue(org: MspCertificates): readonly [string, common.ConfigValue] {
  const ca = org.caCertificatePem === undefined ? [] : [Buffer.from(org.caCertificatePem)];
  const config = new msp.FabricMSPConfig();
  config.setName(org.mspId);
  config.setRootCertsList(ca);
  if (org.tlsCaCertificatePem !== undefined)
    config.setTlsRootCertsList([Buffer.from(org.tlsCaCertificatePem)]);
  const crypto = new msp.FabricCryptoConfig();
  crypto.setSignatureHashFamily('SHA2');
  crypto.setIdentityIdentifierHashFunction('SHA256');
  config.setCryptoConfig(crypto);
  if (ca.length > 0) {
    const ou = (name: string): msp.FabricOUIdentifier => {
      const id = new msp.FabricOUIdentifier();
      id.setCertificate(ca[0] ?? new Uint8Array());
      id.setOrganizationalUnitIdentifier(name);
      return id;
    };
    const nodeOUs = new msp.FabricNodeOUs();
    nodeOUs.setEnable(true);
    nodeOUs.setClientOuIdentifier(ou('client'));
    nodeOUs.setPeerOuIdentifier(ou('peer'));
    nodeOUs.setAdminOuIdentifier(ou('admin'));
    nodeOUs.setOrdererOuIdentifier(ou('orderer'));
    config.setFabricNodeOus(nodeOUs);
  }
  const value = new msp.MSPConfig();
  value.setType(0); // FABRIC
  value.setConfig(config.serializeBinary());
  return configValue('MSP', value);
}
