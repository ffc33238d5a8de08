// A handler for the front-door limit tests. `node limits_handler.js` serves in forwarding mode;
// `node limits_handler.js envelope` answers JSON envelopes. Every request it receives is printed as
// a "saw ..." line, so that a test can tell what reached the handler and what Flint kept from it.
'use strict';
const http = require('http');

const port = Number(process.env.FUNCTIONS_CUSTOMHANDLER_PORT || 8080);
const envelopeMode = process.argv[2] === 'envelope';
const HOLD_LIMIT_MS = 20000; // a held request ends on its own, so that a failed test cannot hang

// ---- hold/release: a request to hold?id=X waits until release?id=X is called (in any order)
const held = new Map(); // id -> function that answers the held request
const released = new Set();

function hold(id, answer) {
  const activeAtStart = held.size;
  console.log(`hold ${id} started, ${activeAtStart} held before it`);
  const finish = (how) => {
    if (!held.has(id)) return;
    held.delete(id);
    released.delete(id);
    console.log(`hold ${id} ended (${how})`);
    answer(JSON.stringify({ id, activeAtStart }));
  };
  held.set(id, finish);
  if (released.has(id)) {
    finish('released before it arrived');
    return;
  }
  setTimeout(() => finish('hold limit'), HOLD_LIMIT_MS).unref();
}

function release(id) {
  released.add(id);
  const finish = held.get(id);
  if (finish) finish('released');
}

// ---- forwarding mode

function forward(req, res) {
  const url = new URL(req.url, 'http://handler');
  const name = url.pathname.split('/').pop();
  if (url.pathname === '/') {
    res.end();
    return;
  }
  console.log(`saw ${req.method} ${req.url} content-length=${req.headers['content-length']}`);
  const text = (status, body) => {
    res.writeHead(status, { 'Content-Type': 'text/plain' });
    res.end(body);
  };
  switch (name) {
    case 'count': {
      // Counts the body as it streams in; says whether it arrived complete.
      let bytes = 0;
      let ended = false;
      req.on('data', (chunk) => { bytes += chunk.length; });
      req.on('end', () => {
        ended = true;
        console.log(`count ${req.url} complete: ${bytes} bytes`);
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ bytes }));
      });
      req.on('close', () => {
        if (!ended) console.log(`count ${req.url} cut after ${bytes} bytes`);
      });
      return;
    }
    case 'early': {
      // Starts the response before reading the body, then reads it all.
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('started\n');
      let bytes = 0;
      req.on('data', (chunk) => { bytes += chunk.length; });
      req.on('end', () => res.end(`read ${bytes} bytes\n`));
      return;
    }
    case 'big': {
      // Streams N bytes, honouring back-pressure.
      const total = Number(url.searchParams.get('bytes'));
      const chunk = Buffer.alloc(64 * 1024, 'flint-');
      let sent = 0;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(total) });
      const pump = () => {
        while (sent < total) {
          const n = Math.min(chunk.length, total - sent);
          sent += n;
          if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => console.log(`big ended after ${sent} of ${total} bytes`));
      pump();
      return;
    }
    case 'sleep': {
      const ms = Number(url.searchParams.get('ms') || 0);
      req.resume();
      setTimeout(() => text(200, `slept ${ms} ms`), ms);
      return;
    }
    case 'hold':
      req.resume();
      hold(url.searchParams.get('id'), (body) => text(200, body));
      return;
    case 'release':
      req.resume();
      release(url.searchParams.get('id'));
      text(200, 'released');
      return;
    case 'fast':
      req.resume();
      text(200, JSON.stringify({ held: [...held.keys()] }));
      return;
    default:
      req.resume();
      text(200, 'ok');
  }
}

// ---- envelope mode: POST /{FunctionName} with {"Data":{"req":{...}}}

function envelope(req, res) {
  if (req.url === '/') {
    res.end();
    return;
  }
  const name = req.url.slice(1);
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const request = raw ? JSON.parse(raw).Data.req : {};
    const body = request.Body == null ? '' : String(request.Body);
    console.log(`saw envelope ${name} ${request.Url} body=${body.length}`);
    const answer = (text) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ Outputs: { res: { statusCode: 200, body: text } }, Logs: [] }));
    };
    const query = request.Query || {};
    if (name === 'sleep') {
      const ms = Number(query.ms || 0);
      setTimeout(() => answer(`slept ${ms} ms`), ms);
    } else if (name === 'count') {
      answer(JSON.stringify({ bytes: body.length }));
    } else {
      answer('ok');
    }
  });
}

http.createServer(envelopeMode ? envelope : forward)
  .listen(port, '127.0.0.1', () => console.log(`listening on ${port} (${envelopeMode ? 'envelope' : 'forwarding'})`));
