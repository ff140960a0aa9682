import type { VerifiedIdentity } from '@careledger/fabric-toolkit';
import { chaincodePolicy, orgEndorsementPolicy } from '../policy/chaincode-policy';
import { parseSignaturePolicy } from '../policy/policy-parser';
import { CollectionRegistry } from '../ledger/collections/collection-registry';
import { RwSetBuilder } from '../ledger/rwset-builder';
import { choosePeers, collectionMembers, endorsementNeeds } from './endorsement-plan';

const orgs = ['HospitalAMSP', 'HospitalBMSP', 'LabMSP', 'PharmacyMSP'];
const peers = orgs.map((mspId) => ({
  mspId,
  verified: { mspId, ou: 'peer', serialized: Buffer.from(mspId) } as unknown as VerifiedIdentity,
}));
const chosen = (...args: Parameters<typeof choosePeers>): string[] | undefined =>
  choosePeers(...args)?.map((p) => p.mspId);

describe('choosePeers', () => {
  it('picks a majority that includes the preferred organisation', () => {
    const picked = chosen(peers, [chaincodePolicy('MAJORITY', orgs)], 'LabMSP');
    expect(picked).toHaveLength(3);
    expect(picked).toContain('LabMSP');
  });

  it('picks only the organisation a key-level policy names, even when another is preferred', () => {
    expect(chosen(peers, [orgEndorsementPolicy('PharmacyMSP')], 'HospitalAMSP')).toEqual(['PharmacyMSP']);
  });

  it('satisfies several policies at once with the fewest organisations', () => {
    const policies = [
      orgEndorsementPolicy('LabMSP'),
      parseSignaturePolicy("OR('HospitalBMSP.peer','LabMSP.peer')"),
    ];
    expect(chosen(peers, policies, 'HospitalAMSP')).toEqual(['LabMSP']);
  });

  it('keeps within the allowed organisations, and answers undefined when they cannot satisfy the policy', () => {
    const allowed = new Set(['HospitalAMSP']);
    expect(chosen(peers, [orgEndorsementPolicy('HospitalAMSP')], 'HospitalAMSP', allowed)).toEqual([
      'HospitalAMSP',
    ]);
    expect(chosen(peers, [chaincodePolicy('MAJORITY', orgs)], 'HospitalAMSP', allowed)).toBeUndefined();
  });

  it('answers undefined for a policy no peer can satisfy', () => {
    expect(chosen(peers, [orgEndorsementPolicy('NoSuchMSP')], 'HospitalAMSP')).toBeUndefined();
  });
});

describe('endorsementNeeds with collections', () => {
  const registry = new CollectionRegistry(orgs, [
    {
      name: 'cc',
      collections: [
        {
          name: 'lab',
          policy: "OR('LabMSP.member')",
          endorsementPolicy: { signaturePolicy: "OR('LabMSP.peer')" },
        },
        { name: 'open', policy: "OR('HospitalAMSP.member', 'HospitalBMSP.member')" },
      ],
    },
  ]);
  const ledger = {
    validationParameter: () => Promise.resolve(undefined),
    collection: registry.collection.bind(registry),
  };
  const ccPolicy = chaincodePolicy('MAJORITY', orgs);
  const needs = (build: (b: RwSetBuilder) => void, privateReads = new Set<string>()) => {
    const builder = new RwSetBuilder();
    build(builder);
    return endorsementNeeds(builder.build().publicRwset, 'cc', ledger, () => ccPolicy, privateReads);
  };
  const policies = async (n: ReturnType<typeof needs>) =>
    [...(await n).policies.values()].map((p) => p.serializeBinary());

  it("asks for a written collection's endorsement policy instead of the chaincode's", async () => {
    const n = needs((b) => b.addPrivateWrite('cc', 'lab', 'k', Buffer.from('v')));
    expect(await policies(n)).toEqual([parseSignaturePolicy("OR('LabMSP.peer')").serializeBinary()]);
    expect((await n).collections).toEqual([{ namespace: 'cc', collection: 'lab', privateRead: false }]);
  });

  it('asks for the chaincode policy for a collection without one, and notes private reads', async () => {
    const n = needs((b) => b.addHashedRead('cc', 'open', 'k', undefined), new Set(['cc\u0000open']));
    expect(await policies(n)).toEqual([ccPolicy.serializeBinary()]);
    expect((await n).collections).toEqual([{ namespace: 'cc', collection: 'open', privateRead: true }]);
  });

  it("keeps endorsers to the members every collection's member policy names", () => {
    const members = collectionMembers(peers, ledger, [
      { namespace: 'cc', collection: 'open', privateRead: true },
      { namespace: 'cc', collection: '_implicit_org_HospitalBMSP', privateRead: false },
    ]);
    expect([...(members ?? [])]).toEqual(['HospitalBMSP']);
    expect(collectionMembers(peers, ledger, [])).toBeUndefined();
  });
});
