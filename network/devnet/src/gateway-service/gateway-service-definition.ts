import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { gateway } from '@hyperledger/fabric-protos';

interface Message {
  serializeBinary(): Uint8Array;
}

function method<Req extends Message, Res extends Message>(
  path: string,
  request: { deserializeBinary(bytes: Uint8Array): Req },
  response: { deserializeBinary(bytes: Uint8Array): Res },
  responseStream = false,
): MethodDefinition<Req, Res> {
  return {
    path,
    requestStream: false,
    responseStream,
    requestSerialize: (message) => Buffer.from(message.serializeBinary()),
    requestDeserialize: (bytes) => request.deserializeBinary(bytes),
    responseSerialize: (message) => Buffer.from(message.serializeBinary()),
    responseDeserialize: (bytes) => response.deserializeBinary(bytes),
  };
}

/** `gateway.Gateway` as in gateway.proto (fabric-protos 0.3.x), with the library's message classes. */
export const gatewayServiceDefinition = {
  Endorse: method('/gateway.Gateway/Endorse', gateway.EndorseRequest, gateway.EndorseResponse),
  Submit: method('/gateway.Gateway/Submit', gateway.SubmitRequest, gateway.SubmitResponse),
  CommitStatus: method(
    '/gateway.Gateway/CommitStatus',
    gateway.SignedCommitStatusRequest,
    gateway.CommitStatusResponse,
  ),
  Evaluate: method('/gateway.Gateway/Evaluate', gateway.EvaluateRequest, gateway.EvaluateResponse),
  ChaincodeEvents: method(
    '/gateway.Gateway/ChaincodeEvents',
    gateway.SignedChaincodeEventsRequest,
    gateway.ChaincodeEventsResponse,
    true,
  ),
} satisfies ServiceDefinition;

function rawBidi(path: string): MethodDefinition<Buffer, Buffer> {
  const identity = (bytes: Buffer): Buffer => bytes;
  return {
    path,
    requestStream: true,
    responseStream: true,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

/** `protos.Deliver` (messages handled as raw bytes: SeekInfo envelopes in, DeliverResponses out). */
export const deliverServiceDefinition = {
  Deliver: rawBidi('/protos.Deliver/Deliver'),
  DeliverFiltered: rawBidi('/protos.Deliver/DeliverFiltered'),
  DeliverWithPrivateData: rawBidi('/protos.Deliver/DeliverWithPrivateData'),
} satisfies ServiceDefinition;
