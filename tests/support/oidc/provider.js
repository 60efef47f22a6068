// A real OpenID provider (node-oidc-provider) on loopback for the desk's sign-in tests.
//
// Usage: node provider.js CONFIG.json
// The config names the port, the registered clients, the test accounts (login, password,
// sub and claims such as groups) and, optionally, a clock offset in seconds (a provider whose
// clock is behind issues ID tokens that are already expired), the ID token lifetime and an
// audience to put in ID tokens instead of the client's id (a provider gone wrong).
// The provider prints "listening <issuer>" once it accepts connections.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

if (config.clockOffsetSeconds) {
  // Every date the provider writes (iat, exp, auth_time) comes from Date.now().
  const realNow = Date.now;
  Date.now = () => realNow() + config.clockOffsetSeconds * 1000;
}

const issuer = config.issuer || `http://localhost:${config.port}`;
const byLogin = new Map(config.accounts.map((account) => [account.login, account]));
const bySub = new Map(config.accounts.map((account) => [account.sub, account]));
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: ['envagin-test-provider-cookie-key-0001'] },
  // Like Entra ID, the ID token itself carries the profile claims and the groups.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub', 'groups', 'forvaltning'],
    profile: ['name', 'preferred_username'],
    email: ['email'],
  },
  scopes: ['openid', 'profile', 'email'],
  pkce: { required: () => true },
  ttl: {
    IdToken: config.idTokenTtlSeconds || 600,
    AccessToken: 600,
    AuthorizationCode: 120,
    Interaction: 7200,
    Session: 86400,
    Grant: 86400,
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Logga ut', `${form}
          <p>Vill du logga ut från testleverantören?</p>
          <button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logga ut</button>`);
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, sub) => {
    const account = bySub.get(sub);
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
});

if (config.idTokenAudience) {
  // A misbehaving provider: its ID tokens name another client as their audience. A compliant
  // provider never does this, so nothing short of this switch can show the desk refusing one.
  const { issue } = provider.IdToken.prototype;
  provider.IdToken.prototype.issue = function issueForAnotherClient(options) {
    const { client } = this;
    if (options?.use === 'idtoken') {
      this.client = new Proxy(client, {
        get(target, prop) {
          if (prop === 'clientId') return config.idTokenAudience;
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    }
    return issue.call(this, options).finally(() => { this.client = client; });
  };
}

function page(title, body) {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>${body}</body></html>`;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res, status, html) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(html);
}

function loginForm(uid, error) {
  return page('Testleverantörens inloggning', `
    ${error ? `<p role="alert" id="error">${escape(error)}</p>` : ''}
    <form method="post" action="/interaction/${uid}/login">
      <label for="username">Användarnamn</label> <input id="username" name="username" autofocus>
      <label for="password">Lösenord</label> <input id="password" name="password" type="password">
      <button type="submit" id="login">Logga in</button>
    </form>`);
}

// Consent is given at once, as a tenant admin does for its own applications.
async function grantConsent(details) {
  const { prompt, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  return details.grantId ? {} : { grantId };
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'consent') {
    const consent = await grantConsent(details);
    await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
    return;
  }
  if (action !== 'login') {
    send(res, 200, loginForm(uid, null));
    return;
  }
  const form = await readForm(req);
  const account = byLogin.get(form.get('username') || '');
  if (!account || account.password !== form.get('password')) {
    send(res, 200, loginForm(uid, 'Fel användarnamn eller lösenord.'));
    return;
  }
  const result = { login: { accountId: account.sub } };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const handle = provider.callback();
const server = createServer(async (req, res) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login))?$/.exec(req.url.split('?')[0]);
  if (!match) {
    handle(req, res);
    return;
  }
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (error) {
    send(res, 400, page('Fel', `<p>${escape(error.message)}</p>`));
  }
});
server.listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
