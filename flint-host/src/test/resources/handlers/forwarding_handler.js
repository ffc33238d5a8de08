// A forwarding-mode handler for Flint's tests: echoes what it received, streams large bodies both
// ways without buffering, and answers redirects that Flint must not follow.
'use strict';
const http = require('http');
const crypto = require('crypto');

const port = Number(process.env.FUNCTIONS_CUSTOMHANDLER_PORT || 8080);

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://handler');
  if (url.pathname === '/') {
    res.end();
    return;
  }
  if (url.pathname.endsWith('/count')) {
    // Counts and hashes the request body as it streams in.
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk) => { bytes += chunk.length; hash.update(chunk); });
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ bytes, sha256: hash.digest('hex') }));
    });
    return;
  }
  if (url.pathname.endsWith('/big')) {
    // Streams N bytes of a repeating pattern, honouring back-pressure.
    const total = Number(url.searchParams.get('bytes'));
    const chunk = Buffer.alloc(64 * 1024, 'flint-');
    let sent = 0;
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(total));
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
    pump();
    return;
  }
  if (url.pathname.endsWith('/redirect')) {
    res.writeHead(302, { Location: '/elsewhere' });
    res.end();
    return;
  }
  if (url.pathname.endsWith('/teapot')) {
    res.writeHead(418, { 'Content-Type': 'text/plain', 'X-Handler': 'yes' });
    res.end('short and stout');
    return;
  }
  if (url.pathname.endsWith('/slow')) {
    setTimeout(() => res.end('late'), 5000);
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    res.end(JSON.stringify({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    }));
  });
}).listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
