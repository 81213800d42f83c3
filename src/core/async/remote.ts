/**
 * Running core functions on the worker thread (worker.ts) and getting their
 * results, or their errors with class and fields intact, back as Promises.
 */
import { Worker } from 'node:worker_threads';
import { AccessDenied, NoSuchProcess, ParseError, PtoolsError, TimeoutExpired, ZombieProcess } from '../base/errors.js';
import { getRoots, type Roots } from '../base/paths.js';

export interface CallMessage {
  id: number;
  name: string;
  args: unknown[];
  roots: Roots;
}
export interface SerializedError {
  className: string;
  message: string;
  stack?: string;
  props: Record<string, unknown>;
}
export type ReplyMessage = { id: number; value: unknown; error?: undefined } | { id: number; error: SerializedError };

const classes: Record<string, new (...a: never[]) => Error> = {
  PtoolsError, NoSuchProcess, ZombieProcess, AccessDenied, TimeoutExpired, ParseError,
  TypeError, RangeError, Error,
};

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { className: 'Error', message: String(e), props: {} };
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) props[k] = v;
  }
  const className = e.constructor?.name && e.constructor.name in classes ? e.constructor.name : 'Error';
  return { className, message: e.message, stack: e.stack, props };
}

export function deserializeError(s: SerializedError): Error {
  const Cls = classes[s.className] ?? Error;
  const e = Object.create(Cls.prototype) as Error;
  Object.defineProperty(e, 'message', { value: s.message, writable: true, configurable: true });
  Object.assign(e, s.props);
  if (s.stack) Object.defineProperty(e, 'stack', { value: s.stack, writable: true, configurable: true });
  return e;
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

function workerUrl(): URL {
  // Compiled: dist/core/async/worker.js next to this file. Under a TS runner the
  // source sits in src/core; the compiled worker is then in dist/core.
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.ts')) return new URL('../../../dist/core/async/worker.js', here);
  return new URL('./worker.js', here);
}

function getWorker(): Worker {
  if (worker) return worker;
  // execArgv: [] — the caller's flags (e.g. --input-type for `node -e`) do not
  // apply to the worker's own module.
  const w = new Worker(workerUrl(), { execArgv: [] });
  w.on('message', (msg: ReplyMessage) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (pending.size === 0) w.unref();
    if (msg.error) p.reject(deserializeError(msg.error));
    else p.resolve(msg.value);
  });
  const fail = (err: unknown) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    if (worker === w) worker = undefined;
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new PtoolsError(`ptools worker thread exited with code ${code}`)));
  w.unref();
  worker = w;
  return w;
}

/** Calls core function `name` on the worker thread. */
export function callRemote<T>(name: string, args: unknown[]): Promise<T> {
  const w = getWorker();
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    if (pending.size === 1) w.ref();
    const msg: CallMessage = { id, name, args, roots: getRoots() };
    w.postMessage(msg);
  });
}

/** Stops the worker thread (it is restarted on the next call). */
export async function stopWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w) await w.terminate();
}
