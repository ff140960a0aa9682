import type { ConnectionIdentity } from './connection-file';
import type { MspRegistry, SigningIdentity } from './msp/msp-registry';

/** An application organisation of the embedded network. */
export interface DevnetOrganisation {
  readonly mspId: string;
  /** Type in CareLedger's organisation registry: hospital, lab or pharmacy. */
  readonly type: string;
  /** Display name for the registry. */
  readonly name: string;
}

/** The four organisations of CareLedger's default network. */
export const defaultOrganisations: readonly DevnetOrganisation[] = [
  { mspId: 'HospitalAMSP', type: 'hospital', name: 'Hospital A' },
  { mspId: 'HospitalBMSP', type: 'hospital', name: 'Hospital B' },
  { mspId: 'LabMSP', type: 'lab', name: 'Laboratory' },
  { mspId: 'PharmacyMSP', type: 'pharmacy', name: 'Pharmacy' },
];

/** The key material the embedded network runs on, generated once into its data directory. */
export interface DevnetCrypto {
  readonly registry: MspRegistry;
  /** One peer identity (NodeOU peer) per organisation, which signs that organisation's endorsements. */
  readonly peers: readonly {
    readonly mspId: string;
    readonly hostname: string;
    readonly identity: SigningIdentity;
  }[];
  readonly tls: {
    /** PEM file of the CA that issued the server certificate (clients trust it). */
    readonly caPath: string;
    readonly certificatePem: string;
    readonly keyPem: string;
    /** Name in the server certificate clients must verify when it differs from the endpoint host. */
    readonly hostnameOverride?: string;
  };
  /** Client identities written to the connection file, per organisation. */
  readonly identities: ReadonlyMap<string, readonly ConnectionIdentity[]>;
}

/** Produces (or loads from `dataDir`) the network's crypto material. */
export type CryptoProvider = (
  dataDir: string,
  organisations: readonly DevnetOrganisation[],
) => Promise<DevnetCrypto>;
