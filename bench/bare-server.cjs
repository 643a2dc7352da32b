// The baseline: a bare Node http server that only reads the body and answers 202.
const http = require('node:http');
const port = Number(process.env.PORT);
http
  .createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      Buffer.concat(chunks);
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"status":"accepted"}');
    });
  })
  .listen(port, '127.0.0.1');
