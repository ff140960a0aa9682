import { Metadata, status as GrpcStatus, type ServerErrorResponse } from '@grpc/grpc-js';
import { gateway } from '@hyperledger/fabric-protos';

/** One `gateway.ErrorDetail`: which endpoint (peer or orderer) said what. */
export interface ErrorDetail {
  readonly address: string;
  readonly mspId: string;
  readonly message: string;
}

const ERROR_DETAIL_TYPE_URL = 'type.googleapis.com/gateway.ErrorDetail';

/**
 * A gRPC status the gateway answers with, as Fabric's gateway builds it: code, message and,
 * in the `grpc-status-details-bin` trailer, a `google.rpc.Status` whose details are
 * `gateway.ErrorDetail`s.
 */
export class RpcError extends Error {
  readonly code: GrpcStatus;
  readonly details: readonly ErrorDetail[];

  constructor(code: GrpcStatus, message: string, details: readonly ErrorDetail[] = []) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.details = details;
  }

  /** The object grpc-js sends as the call's status. */
  toServerError(): ServerErrorResponse {
    const metadata = new Metadata();
    if (this.details.length > 0) metadata.set('grpc-status-details-bin', encodeStatus(this));
    return Object.assign(new Error(this.message), {
      code: this.code,
      details: this.message,
      metadata,
    });
  }
}

/** Any thrown value as an RpcError; unexpected errors become INTERNAL (and are not masked as Fabric's). */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RpcError(GrpcStatus.INTERNAL, message);
}

// google.rpc.Status{code=1, message=2, details=3: Any{type_url=1, value=2}}, written by hand
// because google-protobuf's Any class ships without types.
function encodeStatus(error: RpcError): Buffer {
  const parts: Buffer[] = [varintField(1, error.code), bytesField(2, Buffer.from(error.message))];
  for (const detail of error.details) {
    const proto = new gateway.ErrorDetail();
    proto.setAddress(detail.address);
    proto.setMspId(detail.mspId);
    proto.setMessage(detail.message);
    const any = Buffer.concat([
      bytesField(1, Buffer.from(ERROR_DETAIL_TYPE_URL)),
      bytesField(2, Buffer.from(proto.serializeBinary())),
    ]);
    parts.push(bytesField(3, any));
  }
  return Buffer.concat(parts);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value >>> 0;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function varintField(field: number, value: number): Buffer {
  return value === 0 ? Buffer.alloc(0) : Buffer.concat([varint(field << 3), varint(value)]);
}

function bytesField(field: number, value: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(value.length), value]);
}
