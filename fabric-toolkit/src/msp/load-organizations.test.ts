import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganization, enrollUser } from './crypto-layout';
import { newMspRegistry, newSigningIdentity } from './fabric-msp-registry';
import { loadOrganizations } from './load-organizations';

describe('loadOrganizations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-orgs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    await createOrganization(dir, { mspId: 'PharmacyMSP', kind: 'peer', nodes: 2 });
    await createOrganization(dir, { mspId: 'HospitalBMSP', kind: 'peer', nodes: 1 });
    await createOrganization(dir, { mspId: 'OrdererMSP', kind: 'orderer', nodes: 1 });
    await enrollUser(dir, {
      mspId: 'HospitalBMSP',
      name: 'device',
      role: 'device',
      attrs: { deviceId: 'd-7' },
    });
  });

  it('writes the cryptogen layout for peer and orderer organisations', () => {
    const org = join(dir, 'peerOrganizations', 'pharmacy.careledger.local');
    const peer = join(org, 'peers', 'peer1.pharmacy.careledger.local');
    const orderer = join(
      dir,
      'ordererOrganizations',
      'orderer.careledger.local',
      'orderers',
      'orderer0.orderer.careledger.local',
    );
    for (const path of [
      join(org, 'ca', 'ca.pharmacy.careledger.local-cert.pem'),
      join(org, 'tlsca', 'tlsca.pharmacy.careledger.local-cert.pem'),
      join(org, 'msp', 'cacerts', 'ca.pharmacy.careledger.local-cert.pem'),
      join(org, 'msp', 'tlscacerts', 'tlsca.pharmacy.careledger.local-cert.pem'),
      join(peer, 'msp', 'signcerts', 'peer1.pharmacy.careledger.local-cert.pem'),
      join(peer, 'msp', 'config.yaml'),
      join(peer, 'tls', 'ca.crt'),
      join(peer, 'tls', 'server.crt'),
      join(orderer, 'msp', 'signcerts', 'orderer0.orderer.careledger.local-cert.pem'),
      join(orderer, 'tls', 'server.crt'),
      // cryptogen's Admin@<domain> in every organisation, with a TLS client certificate
      join(
        org,
        'users',
        'Admin@pharmacy.careledger.local',
        'msp',
        'signcerts',
        'Admin@pharmacy.careledger.local-cert.pem',
      ),
      join(org, 'users', 'Admin@pharmacy.careledger.local', 'msp', 'config.yaml'),
      join(org, 'users', 'Admin@pharmacy.careledger.local', 'tls', 'client.crt'),
      join(
        dir,
        'ordererOrganizations',
        'orderer.careledger.local',
        'users',
        'Admin@orderer.careledger.local',
        'msp',
        'keystore',
        'priv_sk',
      ),
    ]) {
      expect(existsSync(path)).toBe(true);
    }
    for (const key of [
      join(org, 'ca', 'priv_sk'),
      join(peer, 'msp', 'keystore', 'priv_sk'),
      join(peer, 'tls', 'server.key'),
      join(org, 'tlsca', 'priv_sk'),
      join(org, 'users', 'Admin@pharmacy.careledger.local', 'msp', 'keystore', 'priv_sk'),
      join(org, 'users', 'Admin@pharmacy.careledger.local', 'tls', 'client.key'),
    ]) {
      expect(statSync(key).mode & 0o777).toBe(0o600);
    }
    const config = readFileSync(join(peer, 'msp', 'config.yaml'), 'utf8');
    expect(config).toContain('Enable: true');
    for (const ou of ['client', 'peer', 'admin', 'orderer']) {
      expect(config).toContain(
        `Certificate: cacerts/ca.pharmacy.careledger.local-cert.pem\n    OrganizationalUnitIdentifier: ${ou}\n`,
      );
    }
  });

  it('reads every organisation back, with users and their attributes', async () => {
    const orgs = await loadOrganizations(dir);
    expect(orgs.map((o) => [o.mspId, o.kind, o.nodes.length])).toEqual([
      ['HospitalBMSP', 'peer', 1],
      ['PharmacyMSP', 'peer', 2],
      ['OrdererMSP', 'orderer', 1],
    ]);
    const hospital = orgs[0]!;
    expect(hospital.users.map((u) => [u.name, u.role, u.attrs])).toEqual([
      ['hospitalb-admin', 'admin', { role: 'admin' }],
      ['hospitalb-device', 'device', { role: 'device', deviceId: 'd-7' }],
    ]);
    // The loaded material is consistent: the registry accepts what the layout's keys sign.
    const registry = newMspRegistry(
      orgs.map((o) => ({ mspId: o.mspId, caCertificatePem: o.caCertificatePem })),
    );
    for (const user of hospital.users) {
      const signer = newSigningIdentity({
        mspId: user.mspId,
        certificatePem: readFileSync(user.certPath, 'utf8'),
        privateKeyPem: readFileSync(user.keyPath, 'utf8'),
      });
      const identity = registry.validateIdentity(signer.serialized);
      expect(identity.ou).toBe(user.role === 'admin' ? 'admin' : 'client');
      expect(registry.verify(identity, Buffer.from('m'), signer.sign(Buffer.from('m')))).toBe(true);
    }
    const ordererNode = orgs[2]!.nodes[0]!;
    const orderer = newSigningIdentity({
      mspId: 'OrdererMSP',
      certificatePem: readFileSync(ordererNode.certPath, 'utf8'),
      privateKeyPem: readFileSync(ordererNode.keyPath, 'utf8'),
    });
    expect(registry.validateIdentity(orderer.serialized).ou).toBe('orderer');
  });

  it('refuses a user that exists (names compare case-insensitively) and attributes the tooling sets', async () => {
    await expect(enrollUser(dir, { mspId: 'HospitalBMSP', name: 'admin', role: 'admin' })).rejects.toThrow(
      'user admin@hospitalb.careledger.local already exists',
    );
    for (const attrs of [{ role: 'admin' }, { 'hf.Type': 'peer' }, { 'bad key': 'x' }] as Record<
      string,
      string
    >[]) {
      await expect(
        enrollUser(dir, { mspId: 'HospitalBMSP', name: 'n1', role: 'nurse', attrs }),
      ).rejects.toThrow('cannot be set');
    }
    await expect(enrollUser(dir, { mspId: 'HospitalBMSP', name: '../x', role: 'nurse' })).rejects.toThrow(
      "invalid user name '../x'",
    );
    await expect(enrollUser(dir, { mspId: 'NoSuchMSP', name: 'n1', role: 'nurse' })).rejects.toThrow(
      'no organisation NoSuchMSP',
    );
    expect(
      existsSync(
        join(
          dir,
          'peerOrganizations',
          'hospitalb.careledger.local',
          'users',
          'n1@hospitalb.careledger.local',
        ),
      ),
    ).toBe(false);
  });

  it('refuses a directory without organisations or with a misplaced CA', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'load-orgs-empty-'));
    try {
      await expect(loadOrganizations(empty)).rejects.toThrow('no organisations in');
      await createOrganization(empty, { mspId: 'LabMSP', kind: 'peer', nodes: 1 });
      const lab = join(empty, 'peerOrganizations', 'lab.careledger.local');
      const pharmacyCa = join(dir, 'peerOrganizations', 'pharmacy.careledger.local', 'ca');
      writeFileSync(
        join(lab, 'ca', 'ca.lab.careledger.local-cert.pem'),
        readFileSync(join(pharmacyCa, 'ca.pharmacy.careledger.local-cert.pem')),
      );
      await expect(loadOrganizations(empty)).rejects.toThrow('names MSP PharmacyMSP');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
