/**
 * Answers requests that are not valid HTTP (bad framing, oversized headers, unknown methods,
 * CONNECT) with a status and a reason, the same on both receiver ports. Without this the tunnel
 * port answered with Node's bare, body-less 400 and CONNECT got a silently closed connection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

interface ParserError extends Error {
  code?: string;
  /** llhttp's own description, e.g. "Invalid header value char". */
  reason?: string;
}

/** The client is gone or never sent a request: there is no one to answer. */
const NOTHING_TO_ANSWER = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']);

const GRACE_MS = 2000;

function writeAnswer(socket: Duplex, status: number, text: string, reason: string): void {
  const body = JSON.stringify({ status: 'rejected', error: reason });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  // Closing at once could reset the connection before the client reads the answer; a client
  // that keeps the connection open after it is not waited for long.
  setTimeout(() => socket.destroy(), GRACE_MS).unref();
}

/** The response Node is writing on this socket, if any (the same field Node's own handler checks). */
type InFlight = ServerResponse & { req?: IncomingMessage };
const handled = new WeakSet<Duplex>();

/** Node's headers deadline also runs on a connection that has not sent a byte: there is no request. */
const sentNothing = (err: ParserError, socket: Duplex) => err.code === 'ERR_HTTP_REQUEST_TIMEOUT' && (socket as Socket).bytesRead === 0;

export function answerClientError(err: ParserError, socket: Duplex): void {
  if (handled.has(socket)) return;
  // A browser's preconnect or an idle client: closed, not told "408" about a request it never made.
  if (sentNothing(err, socket)) return void socket.destroy();
  const inFlight = (socket as Socket & { _httpMessage?: InFlight | null })._httpMessage;
  if (inFlight?.req?.complete && !inFlight.writableFinished) {
    // The fault is in a request behind one that arrived whole: that one is answered first.
    // Bytes after a `Connection: close` request are simply ignored.
    handled.add(socket);
    if (err.code !== 'HPE_CLOSED_CONNECTION') {
      inFlight.once('finish', () => {
        handled.delete(socket);
        answerClientError(err, socket);
      });
    }
    return;
  }
  // As Node itself does: never write into a response that has already started.
  if (NOTHING_TO_ANSWER.has(err.code ?? '') || socket.destroyed || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  handled.add(socket);
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    writeAnswer(socket, 431, 'Request Header Fields Too Large', 'the request headers are over the size limit');
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    writeAnswer(socket, 408, 'Request Timeout', 'the request took too long to arrive');
  } else {
    const why = err.reason ?? err.message;
    writeAnswer(socket, 400, 'Bad Request', `malformed HTTP request: ${why.replace(/\.$/, '')} (${err.code ?? 'parse error'})`);
  }
}

/**
 * The tunnel's loopback port: the localtunnel client opens its sockets to it as soon as the tunnel
 * connects and keeps them until a request comes, so one that has sent nothing is left open (Node
 * times it again from its first byte). A 408 written into it would be read by the tunnel server
 * as the answer to the next public request.
 */
export function answerTunnelClientError(err: ParserError, socket: Duplex): void {
  if (!sentNothing(err, socket)) answerClientError(err, socket);
}

/** CONNECT asks for a proxy tunnel; this is a webhook receiver, so it is refused, not dropped. */
export function refuseConnect(_req: unknown, socket: Duplex): void {
  writeAnswer(socket, 405, 'Method Not Allowed', 'CONNECT is not supported here: send a POST to /api/webhooks/{endpoint}');
}
