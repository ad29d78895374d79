// The ceiling of this machine: raw node:http answering one fixed body from memory, with the
// headers a JSON API sends. `node bench/ceiling.mjs PORT FILE` serves FILE's bytes.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, file] = process.argv.slice(2);
const body = readFileSync(file);
createServer((request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
  });
  response.end(body);
}).listen(Number(port), '127.0.0.1');
