/** The worker thread that owns the embedded database (see embedded.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { openPglite, runOnPglite, serializeError, type EmbeddedOptions } from './embedded.js';

const port = parentPort!;
const pg = await openPglite(workerData as EmbeddedOptions);

port.on('message', async (message: { id: number; op: string; sql?: string; params?: unknown[]; copyData?: Uint8Array }) => {
  try {
    let result: unknown;
    switch (message.op) {
      case 'ready':
        result = true;
        break;
      case 'query':
        result = await runOnPglite(pg, message.sql!, message.params ?? [], message.copyData);
        break;
      case 'exec':
        await pg.exec(message.sql!);
        break;
      case 'dump':
        result = new Uint8Array(await (await pg.dumpDataDir('none')).arrayBuffer());
        break;
      case 'close':
        await pg.close();
        break;
      default:
        throw new Error(`unknown operation ${message.op}`);
    }
    port.postMessage({ id: message.id, result });
  } catch (error) {
    port.postMessage({ id: message.id, error: serializeError(error) });
  }
});
