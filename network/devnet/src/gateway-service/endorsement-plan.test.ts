import type { VerifiedIdentity } from '@careledger/fabric-toolkit';
import { chaincodePolicy, orgEndorsementPolicy } from '../policy/chaincode-policy';
import { parseSignaturePolicy } from '../policy/policy-parser';
import { choosePeers } from './endorsement-plan';

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
