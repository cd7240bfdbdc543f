// The peer of `places-setup token` for OAuth Server-to-Server: Adobe's @adobe/aio-lib-ims, the token
// code of the `aio` CLI. `getToken(context)` returns the context's cached access token while it is
// valid, and otherwise asks IMS for a new one through its oauth_server_to_server plugin (a multipart
// POST to /ims/token/v2) and writes it back into the aio configuration, as `aio` does.
//
// bench.py runs this with HOME (and so the aio configuration, ~/.config/aio) and the working
// directory (where aio also reads .aio and .env) in a private folder, having written the context
// there itself: with its cached token for the cached row, without it for the fresh one.
const { Ims, getToken } = require('@adobe/aio-lib-ims');

const imsUrl = process.env.BENCH_IMS_URL;
if (!imsUrl) {
  process.stderr.write('aio-ims: BENCH_IMS_URL is not set\n');
  process.exit(2);
}
// aio-lib-ims knows only Adobe's prod and stage hosts: its constructor sets `this.endpoint` from
// the environment's name. An accessor on the prototype takes that assignment and answers with the
// emulator's URL instead, for every Ims the library makes; nothing else is changed.
Object.defineProperty(Ims.prototype, 'endpoint', {
  configurable: true,
  get: () => imsUrl,
  set: () => {},
});

getToken(process.env.BENCH_AIO_CONTEXT || 'bench').then(
  (token) => process.stdout.write(token + '\n'),
  (error) => {
    process.stderr.write(`aio-ims: ${error.code || 'error'}: ${error.message}\n`);
    process.exit(1);
  },
);
