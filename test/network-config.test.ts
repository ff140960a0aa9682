import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { hasCommand, networkDir, runWithLibs, tempDir } from './network-shell';

const orgs = ['HospitalAMSP', 'HospitalBMSP', 'LabMSP', 'PharmacyMSP'];

interface Policy {
  Type: string;
  Rule: string;
}
interface ConfigTx {
  Organizations: {
    Name: string;
    ID: string;
    MSPDir: string;
    Policies: Record<string, Policy>;
    AnchorPeers?: { Host: string; Port: number }[];
    OrdererEndpoints?: string[];
  }[];
  Capabilities: Record<string, Record<string, boolean>>;
  Profiles: {
    HealthChannel: {
      Policies: Record<string, Policy>;
      Capabilities: Record<string, boolean>;
      Orderer: {
        OrdererType: string;
        BatchTimeout: string;
        BatchSize: { MaxMessageCount: number; AbsoluteMaxBytes: string; PreferredMaxBytes: string };
        EtcdRaft: {
          Consenters: { Host: string; Port: number; ClientTLSCert: string; ServerTLSCert: string }[];
        };
        Organizations: { ID: string }[];
        Policies: Record<string, Policy>;
        Capabilities: Record<string, boolean>;
      };
      Application: {
        Organizations: { ID: string }[];
        Policies: Record<string, Policy>;
        Capabilities: Record<string, boolean>;
      };
    };
  };
}

function configtx(vars: Record<string, string>): ConfigTx {
  const t = tempDir('cl-configtx-');
  try {
    runWithLibs(`write_configtx ${t.dir}`, { CL_RUN_DIR: t.dir, ...vars });
    return parse(readFileSync(join(t.dir, 'configtx.yaml'), 'utf8'), { merge: true }) as ConfigTx;
  } finally {
    t.remove();
  }
}

/** KEY=VALUE lines of a node's env file, as a map. */
function env(fn: string, vars: Record<string, string> = {}): Record<string, string> {
  const out = runWithLibs(fn, { CL_RUN_DIR: '/run/cl', CL_MODE: 'native', ...vars }).stdout;
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('configtx.yaml', () => {
  const c = configtx({ CL_MODE: 'native' });
  const profile = c.Profiles.HealthChannel;

  it('has the four organisations in the application and OrdererMSP in the orderer', () => {
    expect(profile.Application.Organizations.map((o) => o.ID)).toEqual(orgs);
    expect(profile.Orderer.Organizations.map((o) => o.ID)).toEqual(['OrdererMSP']);
  });

  it('gives every organisation Readers, Writers, Admins and Endorsement by NodeOU role', () => {
    for (const msp of orgs) {
      const org = c.Organizations.find((o) => o.ID === msp)!;
      expect(org.Policies.Admins!.Rule).toBe(`OR('${msp}.admin')`);
      expect(org.Policies.Endorsement!.Rule).toBe(`OR('${msp}.peer')`);
      expect(org.Policies.Writers!.Rule).toBe(`OR('${msp}.admin', '${msp}.client')`);
      expect(org.Policies.Readers!.Rule).toContain(`'${msp}.peer'`);
    }
  });

  it('sets each organisation’s peer0 as anchor peer', () => {
    const ports = orgs.map((msp) => c.Organizations.find((o) => o.ID === msp)!.AnchorPeers);
    expect(ports).toEqual([7051, 8051, 9051, 10051].map((Port) => [{ Host: '127.0.0.1', Port }]));
  });

  it('uses channel and application policies that need a majority of organisations', () => {
    expect(profile.Application.Policies.Endorsement).toEqual({
      Type: 'ImplicitMeta',
      Rule: 'MAJORITY Endorsement',
    });
    expect(profile.Application.Policies.LifecycleEndorsement).toEqual({
      Type: 'ImplicitMeta',
      Rule: 'MAJORITY Endorsement',
    });
    expect(profile.Application.Policies.Admins!.Rule).toBe('MAJORITY Admins');
    expect(profile.Policies.Admins!.Rule).toBe('MAJORITY Admins');
    expect(profile.Orderer.Policies.BlockValidation!.Rule).toBe('ANY Writers');
  });

  it('enables application capability V2_5 and channel/orderer V2_0', () => {
    expect(profile.Application.Capabilities).toEqual({ V2_5: true });
    expect(profile.Capabilities).toEqual({ V2_0: true });
    expect(profile.Orderer.Capabilities).toEqual({ V2_0: true });
  });

  it('orders with Raft over three TLS consenters by default, with Fabric’s batch defaults', () => {
    expect(profile.Orderer.OrdererType).toBe('etcdraft');
    expect(profile.Orderer.EtcdRaft.Consenters.map((x) => x.Port)).toEqual([6050, 6150, 6250]);
    for (const x of profile.Orderer.EtcdRaft.Consenters) {
      expect(x.ServerTLSCert).toMatch(/\/tls\/server\.crt$/);
    }
    expect(profile.Orderer.BatchTimeout).toBe('2s');
    expect(profile.Orderer.BatchSize.MaxMessageCount).toBe(500);
  });

  it('takes the orderer count and batch settings from up’s options', () => {
    const o = configtx({
      CL_MODE: 'docker',
      CL_ORDERERS: '1',
      CL_BATCH_TIMEOUT: '250ms',
      CL_BATCH_SIZE: '50',
    }).Profiles.HealthChannel.Orderer;
    expect(o.EtcdRaft.Consenters).toHaveLength(1);
    expect(o.EtcdRaft.Consenters[0]!.Host).toBe('orderer0.orderer.careledger.local');
    expect(o.BatchTimeout).toBe('250ms');
    expect(o.BatchSize.MaxMessageCount).toBe(50);
  });
});

describe('chaincode definition defaults', () => {
  it('endorse with any one organisation’s peer, as the chaincode recommends', () => {
    expect(runWithLibs('printf %s "$CL_CC_POLICY"').stdout).toBe(
      "OR('HospitalAMSP.peer','HospitalBMSP.peer','LabMSP.peer','PharmacyMSP.peer')",
    );
  });

  it('need no collections config (implicit collections only)', () => {
    expect(runWithLibs('printf %s "$CL_CC_COLLECTIONS"').stdout).toBe('');
  });
});

describe('peer settings (core.yaml overrides)', () => {
  const peer = env('peer_env hospitala 0');

  it('turns on TLS and the Gateway service, with the raised concurrency limit', () => {
    expect(peer.CORE_PEER_TLS_ENABLED).toBe('true');
    expect(peer.CORE_PEER_GATEWAY_ENABLED).toBe('true');
    expect(peer.CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE).toBe('2500');
    expect(
      env('peer_env lab 0', { CL_GATEWAY_CONCURRENCY: '4000' }).CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE,
    ).toBe('4000');
  });

  it('registers the project’s ccaas external builder', () => {
    const builders = JSON.parse(peer.CORE_CHAINCODE_EXTERNALBUILDERS!) as { name: string; path: string }[];
    expect(builders).toEqual([{ name: 'ccaas', path: join(networkDir, 'builders/ccaas') }]);
    expect(readdirSync(join(builders[0]!.path, 'bin')).sort()).toEqual(['build', 'detect', 'release']);
  });

  it('uses LevelDB by default and CouchDB by option', () => {
    expect(peer.CORE_LEDGER_STATE_STATEDATABASE).toBe('goleveldb');
    const couch = env('peer_env pharmacy 1', { CL_STATE_DB: 'couchdb', CL_MODE: 'docker' });
    expect(couch.CORE_LEDGER_STATE_STATEDATABASE).toBe('CouchDB');
    expect(couch.CORE_LEDGER_STATE_COUCHDBCONFIG_COUCHDBADDRESS).toBe(
      'couchdb.peer1.pharmacy.careledger.local:5984',
    );
  });

  it('gives every peer its own ports and identity', () => {
    expect(peer.CORE_PEER_LOCALMSPID).toBe('HospitalAMSP');
    expect(peer.CORE_PEER_LISTENADDRESS).toBe('127.0.0.1:7051');
    const second = env('peer_env hospitalb 2');
    expect(second.CORE_PEER_LOCALMSPID).toBe('HospitalBMSP');
    expect(second.CORE_PEER_ID).toBe('peer2.hospitalb.careledger.local');
    expect(second.CORE_PEER_LISTENADDRESS).toBe('127.0.0.1:8251');
    expect(second.CORE_PEER_GOSSIP_BOOTSTRAP).toBe('127.0.0.1:8051');
  });
});

describe('orderer settings (orderer.yaml overrides)', () => {
  const o = env('orderer_env 1');

  it('uses the channel participation API without a system channel, over mutual TLS', () => {
    expect(o.ORDERER_GENERAL_BOOTSTRAPMETHOD).toBe('none');
    expect(o.ORDERER_CHANNELPARTICIPATION_ENABLED).toBe('true');
    expect(o.ORDERER_GENERAL_TLS_ENABLED).toBe('true');
    expect(o.ORDERER_ADMIN_TLS_ENABLED).toBe('true');
    expect(o.ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED).toBe('true');
    expect(o.ORDERER_GENERAL_LISTENPORT).toBe('6150');
    expect(o.ORDERER_ADMIN_LISTENADDRESS).toBe('127.0.0.1:6151');
  });
});

describe('compose files', () => {
  const composeDir = join(networkDir, 'compose');
  const files = readdirSync(composeDir).filter((f) => f.endsWith('.yaml'));

  it('use Fabric’s official 2.5 images', () => {
    const text = files.map((f) => readFileSync(join(composeDir, f), 'utf8')).join('\n');
    expect(text).toContain('image: hyperledger/fabric-peer:${CL_FABRIC_VERSION:-2.5}');
    expect(text).toContain('image: hyperledger/fabric-orderer:${CL_FABRIC_VERSION:-2.5}');
  });

  it('name the services as the scripts name the nodes', () => {
    const names = runWithLibs('CL_ORDERERS=3; CL_PEERS=1; CL_STATE_DB=leveldb; node_services')
      .stdout.trim()
      .split('\n');
    const services = Object.keys(
      (
        parse(readFileSync(join(composeDir, 'compose-network.yaml'), 'utf8'), { merge: true }) as {
          services: object;
        }
      ).services,
    );
    expect(services.sort()).toEqual(names.sort());
  });

  it('validate with docker-compose config (env files written by the scripts)', () => {
    if (!hasCommand('docker-compose')) {
      throw new Error(
        'docker-compose is not installed: apt-get install -y docker-compose (validates without an engine)',
      );
    }
    const t = tempDir('cl-compose-');
    try {
      runWithLibs('CL_STATE_DB=couchdb write_node_env_files', { CL_RUN_DIR: t.dir, CL_MODE: 'docker' });
      const env = {
        ...process.env,
        CL_RUN_DIR: t.dir,
        CL_NETWORK_DIR: networkDir,
        CL_REPO_ROOT: join(networkDir, '..'),
        CL_COUCHDB_USER: 'admin',
        CL_COUCHDB_PASSWORD: 'pw',
        CL_CA_ADMIN_PASSWORD: 'pw',
        CL_CC_PACKAGE_ID: 'careledger_1.0:abc',
      };
      // compose-couchdb.yaml only adds to compose-network.yaml, so it is checked on top of it.
      for (const set of [
        ['compose-network.yaml'],
        ['compose-network.yaml', 'compose-couchdb.yaml'],
        ['compose-ca.yaml'],
        ['compose-chaincode.yaml'],
      ]) {
        const r = spawnSync(
          'docker-compose',
          [...set.flatMap((f) => ['-f', join(composeDir, f)]), 'config', '-q'],
          {
            encoding: 'utf8',
            env,
          },
        );
        expect({ set, stderr: r.stderr, status: r.status }).toEqual({ set, stderr: '', status: 0 });
      }
      expect(files.sort()).toEqual(
        ['compose-ca.yaml', 'compose-chaincode.yaml', 'compose-couchdb.yaml', 'compose-network.yaml'].sort(),
      );
    } finally {
      t.remove();
    }
  });

  it('validate with the extra peers and CouchDBs that --peers adds', () => {
    if (!hasCommand('docker-compose')) {
      throw new Error(
        'docker-compose is not installed: apt-get install -y docker-compose (validates without an engine)',
      );
    }
    const t = tempDir('cl-compose-');
    try {
      runWithLibs('write_node_env_files; write_extra_peers_compose; compose_files', {
        CL_RUN_DIR: t.dir,
        CL_MODE: 'docker',
        CL_PEERS: '3',
        CL_STATE_DB: 'couchdb',
      });
      const r = spawnSync(
        'docker-compose',
        [
          ...['compose-network.yaml', 'compose-couchdb.yaml'].flatMap((f) => ['-f', join(composeDir, f)]),
          '-f',
          join(t.dir, 'compose-extra-peers.yaml'),
          'config',
          '--services',
        ],
        {
          encoding: 'utf8',
          env: {
            ...process.env,
            CL_RUN_DIR: t.dir,
            CL_NETWORK_DIR: networkDir,
            CL_COUCHDB_USER: 'a',
            CL_COUCHDB_PASSWORD: 'b',
          },
        },
      );
      expect(r.stderr).toBe('');
      const services = r.stdout.trim().split('\n');
      expect(services).toContain('peer2.lab.careledger.local');
      expect(services).toContain('couchdb.peer2.lab.careledger.local');
      expect(services).toHaveLength(3 + 4 * 3 * 2);
    } finally {
      t.remove();
    }
  });
});
