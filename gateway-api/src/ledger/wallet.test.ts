import { Wallet, type WalletEntry } from './wallet';

const e = (name: string, mspId: string): WalletEntry => ({
  name,
  mspId,
  role: 'doctor',
  certPath: '/nonexistent/cert.pem',
  keyPath: '/nonexistent/key.pem',
  attrs: {},
});

describe('Wallet', () => {
  const wallet = new Wallet([
    e('hospitala-doctor', 'HospitalAMSP'),
    e('hospitalb-doctor', 'HospitalBMSP'),
    e('nurse', 'HospitalBMSP'),
    e('x-nurse', 'HospitalBMSP'),
  ]);

  it('finds an organisation’s user by exact name, else by the -user suffix, only when unique', () => {
    expect(wallet.find('HospitalAMSP', 'doctor')?.name).toBe('hospitala-doctor');
    expect(wallet.find('HospitalBMSP', 'nurse')?.name).toBe('nurse');
    expect(wallet.find('HospitalAMSP', 'nurse')).toBeUndefined();
    expect(wallet.find('LabMSP', 'doctor')).toBeUndefined();
  });

  it('refuses to load an unknown identity or unreadable files', () => {
    expect(() => wallet.load('nobody')).toThrow(/no identity 'nobody'/);
    expect(() => wallet.load('hospitala-doctor')).toThrow(/ENOENT/);
  });
});
