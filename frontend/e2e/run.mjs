// E2E runner: starts the real backend serving the built UI on its own port, then runs
// e2e/specs with node's test runner in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core). Embedded by default (its own SQLite file, Celery eager); with
// E2E_BACKEND=distributed, its own PostgreSQL database, a Redis queue of its own, a real
// `celery worker`, celery beat and the API in 2 processes (live updates then cross processes via
// Redis). Events complete every COMPLETION_INTERVAL_SECONDS (2 s here, so the lifecycle spec sees
// one end); holds expire and lines get offers every HOLD_INTERVAL_SECONDS (1 s here). E2E_ONLY=word runs only the spec files whose name holds it. E2E_UPDATE_DOCS=1: after a
// whole run passed, the workspaces' screenshots (DOC_SCREENSHOTS below) are copied to docs/screenshots/.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const venvBin = path.join(root, '.venv', process.platform === 'win32' ? 'Scripts' : 'bin');
const python = path.join(venvBin, 'python');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The screenshots the docs show, each taken by a spec with real data: docs name <- the spec and its shot. A run copies
// those its own specs took (the payments specs run apart, with E2E_PAYMENTS).
const DOC_SCREENSHOTS = {
  'auditor-workspace.png': ['4-auditor', '40-audit-revenue.png'], // the revenue page, per event and currency
  'admin-workspace.png': ['3-admin', '19-admin-users.png'], // the users page, an auditor just created
  'box-office.png': ['3-admin', '13-admin-box-office.png'], // a ticket scanned twice at an event's door
  'invoice.png': ['13-invoice-payments', '136-invoice-pdf.png'], // the first page of the invoice a buyer downloaded
  'venue-time-zone.png': ['12-times-and-zones', '124-event-page-warsaw.png'], // a New York night read in Warsaw
  'event-page-de.png': ['16-german', '165-event-page-de.png'], // an event's page for a German browser, on a phone
  'event-page-pl.png': ['16-german', '166-event-page-pl.png'], // the same for a Polish browser
};
// How long a server may take to answer first: against a hang, not a measure (beside the scenarios on two loaded
// cores, a start is many times slower than alone).
const STARTUP_MS = 180_000;
const inCi = ['1', 'true', 'yes'].includes((process.env.CI ?? '').toLowerCase());

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

if (!existsSync(chromium)) {
  const message = `Chromium not found at ${chromium}; run ./scripts/setup.sh --for-tests (installs Debian's chromium)`;
  if (inCi) fail(message);
  console.warn(`e2e: skipped: ${message}`);
  process.exit(0);
}
if (!existsSync(python)) fail('the Python virtualenv is missing: run ./scripts/setup.sh');
if (!existsSync(path.join(root, 'frontend', 'dist', 'index.html'))) fail('the UI is not built: npm run build');

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const distributed = process.env.E2E_BACKEND === 'distributed';
const pgAdmin = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const tag = `${process.pid}_${Math.random().toString(16).slice(2, 10)}`;
const dbName = `ledger_e2e_${tag}`;
const py = (code, ...args) => spawnSync(python, ['-c', code, ...args], { cwd: root, encoding: 'utf8' });
if (distributed) {
  const check = py('import sys, psycopg, redis\npsycopg.connect(sys.argv[1], connect_timeout=3).close()\n'
    + 'redis.Redis.from_url(sys.argv[2], socket_connect_timeout=3).ping()', pgAdmin, redisUrl);
  if (check.status !== 0) {
    const message = `PostgreSQL (${pgAdmin}) or Redis (${redisUrl}) not reachable:\n${check.stderr.trim().split('\n').pop()}`;
    if (inCi) fail(message);
    console.warn(`e2e: skipped (distributed): ${message}`);
    process.exit(0);
  }
  const created = py('import sys, psycopg\nwith psycopg.connect(sys.argv[1], autocommit=True) as c:\n'
    + '    c.execute(f\'CREATE DATABASE "{sys.argv[2]}"\')', pgAdmin, dbName);
  if (created.status !== 0) fail(`could not create the database ${dbName}:\n${created.stderr}`);
}
function dropDatabase() {
  if (distributed) {
    py('import sys, psycopg\nwith psycopg.connect(sys.argv[1], autocommit=True) as c:\n'
      + '    c.execute(f\'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)\')', pgAdmin, dbName);
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'ledger-e2e-'));
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
// E2E_PAYMENTS=localstripe: the payments specs alone, against an API that takes payments through
// localstripe (a real Stripe API on 127.0.0.1, with its Stripe.js); without it, every other spec.
const payments = process.env.E2E_PAYMENTS === 'localstripe';
if (process.env.E2E_PAYMENTS && !payments) fail(`E2E_PAYMENTS=${process.env.E2E_PAYMENTS}: only localstripe is known`);
const stripePort = payments ? await freePort() : 0;
const stripeBase = `http://127.0.0.1:${stripePort}`;
const stripeSecret = `whsec_${tag}`;
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DATABASE_') && !k.startsWith('CELERY_'))),
  DATABASE_URL: distributed
    ? `${pgAdmin.replace(/\/[^/]*$/, '').replace('postgresql://', 'postgresql+psycopg://')}/${dbName}`
    : `sqlite:///${path.join(work, 'ledger.db')}`,
  ...(distributed ? { CELERY_BROKER_URL: `${redisUrl}/0`, CELERY_NAMESPACE: `e2e${tag}`, BEAT_INTERVAL_SECONDS: '1',
    DB_POOL_SIZE: '2', DB_MAX_OVERFLOW: '4' } : {}), // small pools: a shared PostgreSQL's connections are few
  COMPLETION_INTERVAL_SECONDS: process.env.COMPLETION_INTERVAL_SECONDS ?? '2',
  // Holds expire and seats back on sale are offered to the waitlists each second (the
  // holds spec waits for an offer, and for a hold to expire).
  HOLD_INTERVAL_SECONDS: process.env.HOLD_INTERVAL_SECONDS ?? '1',
  ENVIRONMENT: 'test',
  // Every simulated person signs up and in from 127.0.0.1, one address to the limits: a whole run
  // alone passes the per-address defaults within a minute (tests/security test the limits).
  AUTH_RATE_PER_IP: '600/minute;6000/hour',
  SIGNUP_RATE_PER_IP: '600/hour',
  SECRET_KEY: 'e2e-secret-key-of-at-least-32-bytes-long',
  // Personal data is sealed under a wrapping key of the run's own: only a throwaway SQLite file gets the test
  // placeholder, and the distributed run's database is PostgreSQL.
  PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
  ADMIN_EMAIL: 'admin@e2e.test',
  ADMIN_PASSWORD: 'admin-e2e-password',
  PYTHONPATH: root,
  ...(payments ? { STRIPE_API_KEY: 'sk_test_e2e', STRIPE_PUBLISHABLE_KEY: 'pk_test_e2e',
    STRIPE_WEBHOOK_SECRET: stripeSecret, STRIPE_API_BASE: stripeBase } : {}),
};

const migrate = spawnSync(python, ['-m', 'ops.migrate'], { cwd: root, env, encoding: 'utf8' });
if (migrate.status !== 0) { dropDatabase(); fail(`migration failed:\n${migrate.stdout}${migrate.stderr}`); }

const children = [];
function start(program, args, name) {
  const child = spawn(path.join(venvBin, program), args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.log = '';
  child.stdout.on('data', (d) => { child.log += d; });
  child.stderr.on('data', (d) => { child.log += d; });
  child.label = name;
  children.push(child);
  return child;
}
if (distributed) {
  start('celery', ['-A', 'workers.celery_app', 'worker', '--pool', 'threads', '--concurrency', '4', '--loglevel', 'WARNING',
    '--without-gossip', '--without-mingle', '-n', `e2e-${tag}@%h`], 'worker');
  // The schedule: projections, signed heads, and the events' completion.
  start('celery', ['-A', 'workers.celery_app', 'beat', '--loglevel', 'WARNING', '--schedule', path.join(work, 'celerybeat-schedule')], 'beat');
}

if (payments) {
  const stripe = start('python', ['-m', 'ops.local_stripe', '--port', String(stripePort)], 'localstripe');
  const stopStripe = () => { try { process.kill(-stripe.pid, 'SIGTERM'); } catch { /* already gone */ } };
  const until = Date.now() + STARTUP_MS;
  for (;;) {
    if (stripe.exitCode !== null) { stopStripe(); fail(`localstripe exited early:\n${stripe.log}`); }
    try { if ((await fetch(`${stripeBase}/js.stripe.com/v3/`)).ok) break; } catch { /* not listening yet */ }
    if (Date.now() > until) { stopStripe(); fail(`localstripe did not start:\n${stripe.log}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  // Its webhooks to the API, signed with the endpoint's secret, as Stripe sends them.
  const hook = await fetch(`${stripeBase}/_config/webhooks/e2e`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: `${baseUrl}/api/payments/stripe/webhook`, secret: stripeSecret,
      events: ['payment_intent.succeeded', 'payment_intent.payment_failed'] }) });
  if (!hook.ok) { stopStripe(); fail(`localstripe refused the webhook's set-up: ${hook.status}`); }
}

const api = start('uvicorn', ['query_api.main:app', '--host', '127.0.0.1', '--port', String(port), '--no-access-log',
  ...(distributed ? ['--workers', '2'] : [])], 'api');

let stopped = false;
function stopAll() {
  if (stopped) return;
  stopped = true;
  for (const child of children) {
    if (child.exitCode === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  }
}
process.on('exit', stopAll);
process.on('SIGINT', () => { stopAll(); dropDatabase(); process.exit(130); });
const waitExit = (child) => (child.exitCode !== null ? Promise.resolve()
  : new Promise((resolve) => { child.once('exit', resolve); setTimeout(resolve, 15_000); }));

const deadline = Date.now() + STARTUP_MS;
for (;;) {
  if (api.exitCode !== null) { stopAll(); dropDatabase(); fail(`the API exited early:\n${api.log}`); }
  try {
    const response = await fetch(`${baseUrl}/api/health`);
    if (response.ok || response.status === 503) break;
  } catch { /* not listening yet */ }
  if (Date.now() > deadline) { stopAll(); dropDatabase(); fail(`the API did not start:\n${api.log}`); }
  await new Promise((r) => setTimeout(r, 200));
}

const screenshots = process.env.E2E_SCREENSHOTS
  ?? path.join(root, 'artifacts', 'screenshots', ...(distributed ? ['distributed'] : []), ...(payments ? ['payments'] : []));
mkdirSync(screenshots, { recursive: true });
for (const old of readdirSync(screenshots).filter((f) => f.endsWith('.png'))) rmSync(path.join(screenshots, old));
const only = process.env.E2E_ONLY ?? '';
// The accessibility walk checks the UI's layout, which is the same whatever serves its data: the embedded run walks it,
// the distributed run leaves it out unless E2E_ONLY names it (on the suite's two busy cores it cost that run as much as
// the flows it exists to check). Every flow's own axe checks still run on both.
const LAYOUT_ONLY = ['14-accessibility'];
const specs = readdirSync(path.join(here, 'specs'))
  .filter((f) => f.endsWith('.test.mjs') && f.includes(only) && f.includes('payments') === payments)
  .filter((f) => !distributed || only || !LAYOUT_ONLY.some((spec) => f.startsWith(spec))).sort()
  .map((f) => path.join(here, 'specs', f));
console.log(`e2e: API on ${baseUrl} (${distributed ? 'PostgreSQL + Redis + celery worker and beat, 2 API processes' : 'embedded SQLite'}), `
  + `chromium ${chromium}, ${specs.length} spec files`);
const began = Date.now();
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...specs], {
  stdio: 'inherit',
  env: { ...process.env, E2E_BASE_URL: baseUrl, E2E_ADMIN_EMAIL: env.ADMIN_EMAIL, E2E_ADMIN_PASSWORD: env.ADMIN_PASSWORD,
    E2E_SCREENSHOTS: screenshots, CHROMIUM_PATH: chromium },
});
stopAll();
await Promise.all(children.map(waitExit));
dropDatabase();
console.log(`e2e: screenshots in ${path.relative(process.cwd(), screenshots) || screenshots}`);
console.log(`e2e: ${run.status === 0 ? 'passed' : 'FAILED'} (${distributed ? 'distributed' : 'embedded'}), `
  + `specs ran ${((Date.now() - began) / 1000).toFixed(1)} s`);
if (run.status === 0 && process.env.E2E_UPDATE_DOCS === '1' && !only) {
  const docs = path.join(root, 'docs', 'screenshots');
  mkdirSync(docs, { recursive: true });
  const ran = new Set(specs.map((spec) => path.basename(spec, '.test.mjs')));
  for (const [name, [spec, taken]] of Object.entries(DOC_SCREENSHOTS).filter(([, [spec]]) => ran.has(spec))) {
    copyFileSync(path.join(screenshots, taken), path.join(docs, name));
    console.log(`e2e: docs/screenshots/${name} <- ${spec}: ${taken}`);
  }
}
if (run.status !== 0) {
  for (const child of children) console.error(`e2e: ${child.label} log (last lines):\n${child.log.split('\n').slice(-(Number(process.env.E2E_LOG_LINES) || 40)).join('\n')}`);
} else {
  rmSync(work, { recursive: true, force: true });
}
process.exit(run.status ?? 1);
