/**
 * The worker thread behind `ptools/promises`: it runs the synchronous API off
 * the main thread. One message per call: { id, name, args, roots } (roots: every root of
 * core/base/paths, set here before the call); the reply
 * is { id, value } or { id, error } (errors serialized with their class and
 * fields, rebuilt on the main side by remote.ts).
 */
import { parentPort } from 'node:worker_threads';
import * as api from '../index.js';
import { setRoots } from '../base/paths.js';
import { serializeError, type CallMessage, type ReplyMessage } from './remote.js';

const table = api as unknown as Record<string, unknown>;

parentPort?.on('message', (msg: CallMessage) => {
  let reply: ReplyMessage;
  try {
    setRoots(msg.roots);
    const fn = table[msg.name];
    if (typeof fn !== 'function') throw new TypeError(`ptools: no function named ${msg.name}`);
    reply = { id: msg.id, value: (fn as (...a: unknown[]) => unknown)(...msg.args) };
  } catch (e) {
    reply = { id: msg.id, error: serializeError(e) };
  }
  parentPort!.postMessage(reply);
});
