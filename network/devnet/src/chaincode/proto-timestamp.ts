/**
 * `google.protobuf.Timestamp` from the google-protobuf copy the protos use. google-protobuf
 * ships no types (so the protos' timestamp accessors are untyped); this is the part we use.
 */
export interface ProtoTimestamp {
  getSeconds(): number;
  getNanos(): number;
  setSeconds(value: number): void;
  setNanos(value: number): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Timestamp } = require('google-protobuf/google/protobuf/timestamp_pb') as {
  Timestamp: new () => ProtoTimestamp;
};

export function newTimestamp(seconds: number, nanos: number): ProtoTimestamp {
  const timestamp = new Timestamp();
  timestamp.setSeconds(seconds);
  timestamp.setNanos(nanos);
  return timestamp;
}
