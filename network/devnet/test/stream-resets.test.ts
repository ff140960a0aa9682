import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionProfile } from '@careledger/fabric-toolkit';
import { sharedDevnet } from './support/shared-devnet';

jest.setTimeout(90_000);

/** An empty gRPC message: not compressed, length 0. */
const emptyMessage = Buffer.alloc(5);

/**
 * One unary call on the session, then RST_STREAM NO_ERROR once it has ended, as @grpc/grpc-js
 * 1.10.3 (Caliper 0.6's fabric-gateway binding) closes every call that ended OK. Resolves with
 * the call's grpc-status, or `lost: <why>`.
 */
function callThenReset(session: ClientHttp2Session): Promise<string> {
  return new Promise((resolve) => {
    if (session.destroyed) {
      resolve('lost: the session has been destroyed');
      return;
    }
    const stream = session.request(grpcHeaders('/gateway.Gateway/Evaluate'));
    let grpcStatus: string | undefined;
    const statusOf = (headers: Record<string, unknown>): void => {
      const value = headers['grpc-status'];
      if (typeof value === 'string') grpcStatus = value;
    };
    stream.on('response', statusOf);
    stream.on('trailers', statusOf);
    stream.on('error', (err: Error) => resolve(`lost: ${err.message}`));
    stream.on('end', () => {
      stream.close(constants.NGHTTP2_NO_ERROR);
      resolve(grpcStatus ?? 'lost: no grpc-status');
    });
    stream.on('close', () => resolve(grpcStatus ?? `lost: stream closed with ${stream.rstCode}`));
    stream.resume();
    stream.end(emptyMessage);
  });
}

const grpcHeaders = (path: string) => ({
  ':method': 'POST',
  ':path': path,
  'content-type': 'application/grpc',
  te: 'trailers',
});

describe('the Fabric Gateway service and a client that resets every call it has finished', () => {
  const devnet = sharedDevnet();

  /** Connects as Caliper's fabric connector does: the URL, inline TLS CA and TLS name of the profile. */
  async function connectByProfile(): Promise<ClientHttp2Session> {
    const profile = JSON.parse(
      await readFile(join(devnet.dataDir, 'connection-hospitala.json'), 'utf8'),
    ) as ConnectionProfile;
    const peer = profile.peers[profile.organizations.HospitalAMSP!.peers[0]!]!;
    const session = connect(peer.url.replace(/^grpcs:/, 'https:'), {
      ca: peer.tlsCACerts.pem,
      servername: peer.grpcOptions['ssl-target-name-override']!,
    });
    session.on('error', () => undefined);
    return session;
  }

  it('keeps the connection past Node’s 1000 resets when each reset says NO_ERROR (a call that ended OK)', async () => {
    const session = await connectByProfile();
    const goaways: number[] = [];
    session.on('goaway', (errorCode: number) => goaways.push(errorCode));
    const calls = 2_500;
    const answers = new Map<string, number>();
    let started = 0;
    try {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (started < calls) {
            started += 1;
            const answer = await callThenReset(session);
            answers.set(answer, (answers.get(answer) ?? 0) + 1);
          }
        }),
      );
      // Every call reached the service, which refused the empty proposal: INVALID_ARGUMENT (3).
      expect({ answers: [...answers], goaways, destroyed: session.destroyed }).toEqual({
        answers: [['3', calls]],
        goaways: [],
        destroyed: false,
      });
    } finally {
      session.close();
    }
  });
});
