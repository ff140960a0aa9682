import type { common } from '@hyperledger/fabric-protos';

/**
 * google-protobuf ships no types, so fabric-protos' references to `google.protobuf.Timestamp`
 * and `jspb.Map` resolve to nothing; these narrow views type the few members used here.
 */
interface TimestampMessage {
  getSeconds(): number;
  getNanos(): number;
  setSeconds(value: number): void;
  setNanos(value: number): void;
}

/** The `set` of a protobuf map field (`jspb.Map`). */
export interface ProtoMap<V, K = string> {
  set(key: K, value: V): unknown;
  get(key: K): V | undefined;
  getLength(): number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Timestamp } = require('google-protobuf/google/protobuf/timestamp_pb') as {
  Timestamp: new () => TimestampMessage;
};

/** A `google.protobuf.Timestamp` for a JS time in milliseconds, for `ChannelHeader.setTimestamp`. */
export function protoTimestamp(millis: number): Parameters<common.ChannelHeader['setTimestamp']>[0] {
  const ts = new Timestamp();
  ts.setSeconds(Math.floor(millis / 1000));
  ts.setNanos((millis % 1000) * 1_000_000);
  return ts;
}

/** A channel header's timestamp as seconds and nanos (zero if unset). */
export function headerTimestamp(header: common.ChannelHeader): { seconds: number; nanos: number } {
  const ts = header.getTimestamp() as unknown as TimestampMessage | undefined;
  return ts === undefined ? { seconds: 0, nanos: 0 } : { seconds: ts.getSeconds(), nanos: ts.getNanos() };
}
