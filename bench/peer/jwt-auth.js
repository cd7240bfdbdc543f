// The peer of `places-setup token --force`: Adobe's own Node client, @adobe/jwt-auth, doing the same
// JWT exchange against the same emulator. Everything comes from the environment so that this file
// holds no IDs; bench/run sets them from the emulator's JSON line.
const authorize = require('@adobe/jwt-auth');
const fs = require('fs');

const env = process.env;
authorize({
  clientId: env.BENCH_CLIENT_ID,
  technicalAccountId: env.BENCH_TECHNICAL_ACCOUNT_ID,
  orgId: env.BENCH_ORG_ID,
  clientSecret: env.BENCH_CLIENT_SECRET,
  privateKey: fs.readFileSync(env.BENCH_PRIVATE_KEY),
  metaScopes: ['ent_places_sdk'],
  // Exactly the emulator's URL: the JWT's `aud` and metascope claim keys are built from it.
  ims: env.BENCH_IMS_URL,
}).then(
  (answer) => process.stdout.write(answer.access_token + '\n'),
  (error) => {
    process.stderr.write(`jwt-auth: ${error.code}: ${error.message}\n`);
    process.exit(1);
  },
);
