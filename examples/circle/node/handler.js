// Area of a circle: an Azure Functions custom handler in Node.js (no npm packages).
//
// host.json turns on forwarding mode, so the Functions host passes each caller's request
// through unchanged, on its original path:
//
//   GET|POST /api/circle?radius=2        or   POST /api/circle  {"radius": 2}
//   -> 200 {"radius":2,"area":12.566370614359172}
//   -> 400 {"error":"..."} for a missing or bad radius
//
// The host starts `node handler.js` with the port to listen on in FUNCTIONS_CUSTOMHANDLER_PORT.
// Node's http module already does keep-alive and decodes chunked request bodies.
'use strict';

const http = require('node:http');

const FUNCTION_PATH = '/api/circle'; // routePrefix "api" + function name
const MAX_BODY = 1 << 20;
// Same rule as the other languages of this example: Number() alone would also take
// "", " ", "0x10" and "Infinity".
const NUMBER_TEXT = /^[0-9+\-.eE]+$/;

const MISSING = 'missing radius: use ?radius=R or a JSON body {"radius": R}';
const NOT_A_NUMBER = 'radius must be a number';
const BAD_JSON = 'body must be a JSON object such as {"radius": 2}';

/** A client error, answered with `status` and {"error": message}. */
class BadRequest extends Error {
  constructor(message, status = 400) {
    super(message);
    this.status = status;
  }
}

/** The radius from ?radius=R if given, otherwise from a JSON body {"radius": R}. */
function parseRadius(searchParams, body) {
  const text = searchParams.get('radius');
  if (text !== null) {
    const radius = NUMBER_TEXT.test(text) ? Number(text) : NaN;
    if (Number.isNaN(radius)) throw new BadRequest(NOT_A_NUMBER);
    return radius;
  }
  if (body.trim() === '') throw new BadRequest(MISSING);
  let doc;
  try {
    doc = JSON.parse(body);
  } catch {
    throw new BadRequest(BAD_JSON);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new BadRequest(BAD_JSON);
  if (!Object.hasOwn(doc, 'radius')) throw new BadRequest(MISSING);
  if (typeof doc.radius !== 'number') throw new BadRequest(NOT_A_NUMBER);
  return doc.radius;
}

function circle(radius) {
  if (radius < 0) throw new BadRequest('radius must not be negative');
  const area = Math.PI * radius * radius;
  if (!Number.isFinite(area)) throw new BadRequest('radius is too large');
  return { radius, area };
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new BadRequest('request body too large', 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res, status, doc) {
  const body = doc === undefined ? '' : JSON.stringify(doc);
  const headers = { 'Content-Length': Buffer.byteLength(body) };
  if (doc !== undefined) headers['Content-Type'] = 'application/json';
  res.writeHead(status, headers).end(body);
}

async function handle(req, res) {
  let body;
  try {
    body = await readBody(req);
  } catch (e) {
    if (!(e instanceof BadRequest)) throw e;
    // The rest of the body is still unread, so this connection cannot be reused.
    res.setHeader('Connection', 'close');
    return reply(res, e.status, { error: e.message });
  }

  const url = new URL(req.url, 'http://localhost'); // req.url is only the path and query
  if (url.pathname === '/') return reply(res, 200); // the host's readiness probe: any answer will do
  // The host matches routes case-insensitively and forwards the path as the caller wrote it.
  if (url.pathname.toLowerCase() !== FUNCTION_PATH) return reply(res, 404, { error: 'not found' });
  try {
    reply(res, 200, circle(parseRadius(url.searchParams, body)));
  } catch (e) {
    if (!(e instanceof BadRequest)) throw e;
    reply(res, e.status, { error: e.message });
  }
}

const port = Number(process.env.FUNCTIONS_CUSTOMHANDLER_PORT || process.env.FUNCTIONS_HTTPWORKER_PORT || 8080);
const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(err); // stderr: the host logs it as an error
    if (!res.headersSent) reply(res, 500, { error: 'internal error' });
    else res.destroy();
  });
});
server.listen(port, '127.0.0.1', () => {
  console.log(`circle handler listening on http://127.0.0.1:${port}`);
});
