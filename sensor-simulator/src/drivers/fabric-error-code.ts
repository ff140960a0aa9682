import { parseChaincodeError } from '@careledger/contract';
import { classifyFabricError, type FabricPhase } from '@careledger/fabric-toolkit';

const phaseNames: Record<FabricPhase, string> = {
  gateway: 'GATEWAY',
  endorse: 'ENDORSE',
  submit: 'SUBMIT',
  commitStatus: 'COMMIT_STATUS',
  commit: 'COMMIT',
  client: 'CLIENT',
};

/**
 * A stable failure code for a Fabric Gateway client error (the benchmark's error columns), a
 * table over the toolkit's classifier: the chaincode's own code when it gave one (the same codes
 * the REST gateway reports, e.g. `ACCESS_DENIED`), `ENDORSE_<gRPC status>`, `SUBMIT_<gRPC status>`,
 * `COMMIT_STATUS_<gRPC status>`, `GATEWAY_<gRPC status>`, `COMMIT_<validation code>`, or
 * `CLIENT_ERROR` for an error not of the Fabric client.
 */
export function fabricErrorCode(error: unknown): string {
  const failure = classifyFabricError(error);
  if (failure.phase === 'client') return 'CLIENT_ERROR';
  if (failure.phase === 'commit') return `COMMIT_${failure.validationName ?? failure.validationCode}`;
  const refusal =
    failure.chaincodeMessage !== undefined ? parseChaincodeError(failure.chaincodeMessage) : undefined;
  if (refusal) return refusal.code;
  return `${phaseNames[failure.phase]}_${failure.grpcName}`;
}
