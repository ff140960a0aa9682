import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
} from '@grpc/grpc-js';
import type { gateway } from '@hyperledger/fabric-protos';
import { planChaincodeEvents, streamChaincodeEvents } from './chaincode-events';
import { commitStatus } from './commit-status';
import { ConcurrencyLimit } from './concurrency-limit';
import { endorse } from './endorse';
import { evaluate } from './evaluate';
import type { GatewayContext } from './gateway-context';
import { deliverServiceDefinition, gatewayServiceDefinition } from './gateway-service-definition';
import { handleDeliverStream } from './deliver-stream';
import { RpcError, toRpcError } from './rpc-error';
import { submit } from './submit';
import { newResetFilter } from './reset-filter';
import { listenTls, type TlsListener } from './tls-listener';

export interface GatewayServerOptions {
  readonly context: GatewayContext;
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** PEM server certificate (chain) and key; without it the server speaks plaintext gRPC. */
  readonly tls?: { readonly certificatePem: string; readonly keyPem: string };
  /**
   * Calls in flight per service at most, as Fabric's `peer.limits.concurrency`: `gatewayService`
   * (default 500) and `deliverService` (default 2500); 0 = no limit.
   */
  readonly limits?: { readonly gatewayService?: number; readonly deliverService?: number };
}

/** The listening gRPC server of the embedded network. */
export interface GatewayServer {
  readonly port: number;
  /** Stops accepting calls, ends open streams (CANCELLED on the client) and closes the listener. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Serves `/gateway.Gateway/*` and `/protos.Deliver/*` on one port.
 * @throws Error if the port cannot be bound.
 */
export async function startGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  const ctx = options.context;
  const server = new Server({ 'grpc.max_receive_message_length': 100 * 1024 * 1024 });
  const streams = new Set<AbortController>();
  const gatewayLimit = new ConcurrencyLimit(
    '/gateway.Gateway',
    options.limits?.gatewayService ?? 500,
    ctx.logger,
  );
  const deliverLimit = new ConcurrencyLimit(
    '/protos.Deliver',
    options.limits?.deliverService ?? 2500,
    ctx.logger,
  );

  const unary =
    <Req, Res>(name: string, handler: (request: Req, signal: AbortSignal) => Promise<Res> | Res) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      const signal = callSignal(call);
      let release: () => void = () => undefined;
      Promise.resolve()
        .then(() => {
          release = gatewayLimit.acquire();
          return handler(call.request, signal);
        })
        .then(
          (response) => callback(null, response),
          (err: unknown) => {
            const rpc = signal.aborted ? new RpcError(status.CANCELLED, 'call cancelled') : toRpcError(err);
            logFailure(ctx, name, rpc, err);
            callback(rpc.toServerError());
          },
        )
        .finally(() => release());
    };
  /** A stream holds its place in the service's limit until it ends; refused at once past it. */
  const limited =
    <
      Call extends {
        on(event: 'close', listener: () => void): unknown;
        emit(event: 'error', err: unknown): unknown;
      },
    >(
      limit: ConcurrencyLimit,
      handler: (call: Call) => void,
    ) =>
    (call: Call): void => {
      let release: () => void;
      try {
        release = limit.acquire();
      } catch (err) {
        call.emit('error', toRpcError(err).toServerError());
        return;
      }
      call.on('close', () => release());
      handler(call);
    };

  server.addService(gatewayServiceDefinition, {
    Endorse: unary<gateway.EndorseRequest, gateway.EndorseResponse>('Endorse', (r) => endorse(ctx, r)),
    Submit: unary<gateway.SubmitRequest, gateway.SubmitResponse>('Submit', (r) => submit(ctx, r)),
    CommitStatus: unary<gateway.SignedCommitStatusRequest, gateway.CommitStatusResponse>(
      'CommitStatus',
      (r, signal) => commitStatus(ctx, r, signal),
    ),
    Evaluate: unary<gateway.EvaluateRequest, gateway.EvaluateResponse>('Evaluate', (r) => evaluate(ctx, r)),
    ChaincodeEvents: limited(
      gatewayLimit,
      (call: ServerWritableStream<gateway.SignedChaincodeEventsRequest, gateway.ChaincodeEventsResponse>) => {
        const controller = new AbortController();
        streams.add(controller);
        call.on('cancelled', () => controller.abort());
        call.on('close', () => controller.abort());
        const sink = {
          write: (response: gateway.ChaincodeEventsResponse): Promise<void> =>
            new Promise((resolve) => {
              if (call.write(response)) resolve();
              else {
                const done = (): void => {
                  call.off('drain', done);
                  controller.signal.removeEventListener('abort', done);
                  resolve();
                };
                call.on('drain', done);
                controller.signal.addEventListener('abort', done, { once: true });
              }
            }),
        };
        Promise.resolve()
          .then(() => planChaincodeEvents(ctx, call.request))
          .then((plan) => streamChaincodeEvents(ctx, plan, sink, controller.signal))
          .then(
            () => {
              if (!call.cancelled)
                call.emit(
                  'error',
                  new RpcError(status.UNAVAILABLE, 'the gateway is shutting down').toServerError(),
                );
            },
            (err: unknown) => {
              const rpc = toRpcError(err);
              logFailure(ctx, 'ChaincodeEvents', rpc, err);
              if (!call.cancelled) call.emit('error', rpc.toServerError());
            },
          )
          .finally(() => streams.delete(controller));
      },
    ),
  });

  server.addService(deliverServiceDefinition, {
    Deliver: limited(deliverLimit, (call: ServerDuplexStream<Buffer, Buffer>) =>
      handleDeliverStream(ctx, 'block', call, streams),
    ),
    DeliverFiltered: limited(deliverLimit, (call: ServerDuplexStream<Buffer, Buffer>) =>
      handleDeliverStream(ctx, 'filtered', call, streams),
    ),
    DeliverWithPrivateData: limited(deliverLimit, (call: ServerDuplexStream<Buffer, Buffer>) =>
      handleDeliverStream(ctx, 'private', call, streams),
    ),
  });

  const host = options.host ?? '127.0.0.1';
  let port: number;
  let listener: TlsListener | undefined;
  if (options.tls === undefined) {
    const address = `${host.includes(':') ? `[${host}]` : host}:${options.port}`;
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(address, ServerCredentials.createInsecure(), (err, bound) =>
        err === null ? resolve(bound) : reject(err),
      );
    });
  } else {
    // TLS is terminated here and each connection handed to the gRPC server through the reset
    // filter (reset-filter.ts says why).
    const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
    listener = await listenTls({
      host,
      port: options.port,
      tls: options.tls,
      onConnection: (socket) => injector.injectConnection(newResetFilter(socket)),
    });
    port = listener.port;
  }

  return {
    port,
    close: async (graceMs = 2_000) => {
      for (const controller of streams) controller.abort();
      const listenerClosed = listener?.close();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          listener?.destroyConnections();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      listener?.destroyConnections();
      await listenerClosed;
    },
  };
}

function callSignal(call: { on(event: 'cancelled', listener: () => void): unknown }): AbortSignal {
  const controller = new AbortController();
  call.on('cancelled', () => controller.abort());
  return controller.signal;
}

function logFailure(ctx: GatewayContext, method: string, rpc: RpcError, cause: unknown): void {
  if (rpc.code === status.INTERNAL)
    ctx.logger.error({ err: cause, method }, 'gateway call failed unexpectedly');
  else ctx.logger.debug({ method, code: rpc.code, message: rpc.message }, 'gateway call refused');
}
