// Gets tokens from the emulator with Adobe's own Node clients, as their users would:
// Service Account (JWT) through @adobe/jwt-auth and through @adobe/aio-lib-ims, OAuth
// Server-to-Server through @adobe/aio-lib-ims. Prints one JSON line per client; exits 1 on the
// first failure, with the client's own error.
const crypto = require('crypto')
const fs = require('fs')
const authorize = require('@adobe/jwt-auth')
const { Ims } = require('@adobe/aio-lib-ims')

const env = process.env
const ims = env.IMS_URL
const privateKey = fs.readFileSync(env.PRIVATE_KEY, 'utf8')

// aio-lib-ims has no setting for the IMS host: its Ims class reads the base URL from `endpoint`.
function imsClient () {
  const client = new Ims('prod')
  client.endpoint = ims
  return client
}

// The JWT as @adobe/jwt-auth builds it, for aio-lib-ims's exchange (which takes a signed JWT).
function signedJwt () {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const claims = {
    exp: Math.round(300 + Date.now() / 1000),
    iss: env.ORG_ID,
    sub: env.TECHNICAL_ACCOUNT_ID,
    aud: `${ims}/c/${env.JWT_CLIENT_ID}`,
    [`${ims}/s/ent_places_sdk`]: true
  }
  const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`
  const signature = crypto.sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')
  return `${input}.${signature}`
}

function report (client, token, expiresIn, expiry) {
  if (typeof token !== 'string' || token.split('.').length !== 3) {
    throw new Error(`${client}: no access token in the answer`)
  }
  console.log(JSON.stringify({ client, expires_in: expiresIn, expiry }))
}

async function main () {
  const viaJwtAuth = await authorize({
    clientId: env.JWT_CLIENT_ID,
    clientSecret: env.CLIENT_SECRET,
    technicalAccountId: env.TECHNICAL_ACCOUNT_ID,
    orgId: env.ORG_ID,
    privateKey,
    metaScopes: ['ent_places_sdk'],
    ims
  })
  report('jwt-auth', viaJwtAuth.access_token, viaJwtAuth.expires_in)

  const viaIms = await imsClient().exchangeJwtToken(env.JWT_CLIENT_ID, env.CLIENT_SECRET, signedJwt())
  report('aio-lib-ims jwt', viaIms.access_token.token, viaIms.payload.expires_in, viaIms.access_token.expiry)

  const oauth = await imsClient().getAccessTokenByClientCredentials(
    env.OAUTH_CLIENT_ID, env.CLIENT_SECRET, env.ORG_ID, env.SCOPES.split(','))
  report('aio-lib-ims oauth', oauth.access_token.token, oauth.payload.expires_in, oauth.access_token.expiry)
}

main().catch((e) => {
  console.error(`failed: ${e.code || ''} ${e.message}`)
  process.exit(1)
})
