import type { LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { ResolvedAddress } from './guard.js';

/** One hop of an outbound request: sent only to `addresses`, the ones the guard checked. */
export interface PinnedRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  addresses: readonly ResolvedAddress[];
}

/** Sends one request and gives the answer as a fetch `Response` (its body decompressed, not yet read). */
export type Transport = (request: PinnedRequest) => Promise<Response>;

// Own pools: a kept-alive socket is only ever one these requests opened, to an address that was checked.
const agents = {
  'http:': new HttpAgent({ keepAlive: true, timeout: 30_000 }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: 30_000 }),
};

/** A DNS lookup that answers with the checked addresses only (what makes the check and the connect agree). */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options === 'number' ? options : options?.family;
    const wanted = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    const list: LookupAddress[] = wanted.map((a) => ({ address: a.address, family: a.family }));
    if (list.length === 0) {
      const error = Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' });
      return (callback as (e: Error) => void)(error);
    }
    if (typeof options === 'object' && options?.all)
      return (callback as (e: null, a: LookupAddress[]) => void)(null, list);
    (callback as (e: null, a: string, f: number) => void)(null, list[0]!.address, list[0]!.family);
  };
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'br'
        ? createBrotliDecompress()
        : encoding === 'deflate'
          ? createInflate()
          : null;
  if (!decoder) return response;
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

function toResponse(message: IncomingMessage, method: string): Response {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A header fetch would refuse too (invalid bytes): left out.
    }
  }
  const status = message.statusCode ?? 0;
  if (status < 200 || status > 599) {
    message.destroy();
    throw Object.assign(new Error(`invalid HTTP status ${status}`), { code: 'HPE_INVALID_STATUS' });
  }
  if (NULL_BODY.has(status) || method === 'HEAD') {
    message.resume();
    return new Response(null, { status, headers });
  }
  const body = Readable.toWeb(decoded(message)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}

/**
 * The outbound transport: `node:http`/`node:https` with a lookup that returns only the checked addresses
 * (the URL's host still names the server, for the Host header and TLS). No redirects are followed here.
 */
export const pinnedTransport: Transport = (r) =>
  new Promise<Response>((resolve, reject) => {
    const send = r.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...r.headers };
    if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
    const req = send(
      r.url,
      {
        method: r.method,
        headers,
        signal: r.signal,
        agent: agents[r.url.protocol as 'http:' | 'https:'],
        lookup: pinnedLookup(r.addresses),
      },
      (message) => {
        try {
          resolve(toResponse(message, r.method));
        } catch (error) {
          reject(error);
        }
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
