import type { ServerDuplexStream } from '@grpc/grpc-js';
import { common, type peer } from '@hyperledger/fabric-protos';
import { deliverSeek, planSeek, statusResponse, type DeliverKind } from './deliver';
import type { GatewayContext } from './gateway-context';

/**
 * One `/protos.Deliver/Deliver` or `DeliverFiltered` stream, as Fabric's deliver handler runs it:
 * each seek envelope the client sends is answered in turn with its blocks and then a status;
 * after SUCCESS the stream waits for the next seek, after any other status it ends. Ends when the
 * client cancels, or when `streams`' controller aborts (the network stops).
 */
export function handleDeliverStream(
  ctx: GatewayContext,
  kind: DeliverKind,
  call: ServerDuplexStream<Buffer, Buffer>,
  streams: Set<AbortController>,
): void {
  const controller = new AbortController();
  streams.add(controller);
  const abort = (): void => controller.abort();
  call.on('cancelled', abort);
  call.on('close', abort);
  call.on('error', abort);
  const write = (response: peer.DeliverResponse): Promise<void> =>
    new Promise((resolve) => {
      if (call.write(Buffer.from(response.serializeBinary()))) return resolve();
      const done = (): void => {
        call.off('drain', done);
        controller.signal.removeEventListener('abort', done);
        resolve();
      };
      call.on('drain', done);
      controller.signal.addEventListener('abort', done, { once: true });
    });
  let open = true;
  let queue = Promise.resolve();
  const finish = (): void => {
    open = false;
    streams.delete(controller);
    if (!call.cancelled) call.end();
  };
  call.on('data', (envelope: Buffer) => {
    queue = queue.then(async () => {
      if (!open || controller.signal.aborted) return;
      const seek = planSeek(ctx, envelope);
      if (typeof seek === 'number') {
        await write(statusResponse(seek));
        return finish();
      }
      const outcome = await deliverSeek(ctx, kind, seek, write, controller.signal);
      if (outcome === undefined) return finish();
      await write(outcome);
      if (outcome.getStatus() !== common.Status.SUCCESS) finish();
    });
    queue.catch((err: unknown) => {
      ctx.logger.error({ err, kind }, 'deliver stream failed unexpectedly');
      finish();
    });
  });
  call.on('end', () => void queue.then(() => open && finish()));
  controller.signal.addEventListener('abort', () => void queue.then(() => open && finish()), { once: true });
}
