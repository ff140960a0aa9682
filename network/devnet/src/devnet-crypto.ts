import type { ConnectionIdentity, DemoUser, MspRegistry, SigningIdentity } from '@careledger/fabric-toolkit';

/** An application organisation of the embedded network. */
export interface DevnetOrganisation {
  readonly mspId: string;
  /** The organisation's type as the application knows it (written to the connection file). */
  readonly type: string;
  /** Client identities enrolled on the first start, besides the organisation's `Admin`. */
  readonly users?: readonly DemoUser[];
}

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
  /**
   * Each organisation's CA and TLS CA certificates (PEM), which the channel configuration's MSP
   * values carry (cscc GetChannelConfig). Optional: without them those MSPs name the organisation only.
   */
  readonly certificateAuthorities?: ReadonlyMap<
    string,
    { readonly caCertificatePem: string; readonly tlsCaCertificatePem: string }
  >;
}

/** Produces (or loads from `dataDir`) the network's crypto material. */
export type CryptoProvider = (
  dataDir: string,
  organisations: readonly DevnetOrganisation[],
) => Promise<DevnetCrypto>;
