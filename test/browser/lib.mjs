// What every browser test file shares (test/browser/run.sh sets the environment):
//
//   SEANCES_BASE_URL       the demo's URL (http://127.0.0.1:8098); only loopback addresses are accepted
//   SEANCES_PASSWORD_FILE  the demo user's password (DEMO_DIR/demo-password, written by tools/demo.sh)
//   SEANCES_SCREENSHOTS    where the screenshots go (build/browser in the source tree)
//   SEANCES_USER           the demo user (demo)
//
//   const newContext = useChromium();          // in a test file, at top level
//   const context = await newContext({ ...PHONE });
//   await fillLogin(page);                     // the demo user's name and password
//   const response = await clickAndWait(page, page.getByRole('button', { name: 'Connexion' }));
//
// Chromium is Debian's, driven by playwright-core. Every context aborts a request to any host
// outside the loopback range, and the test that made one fails.
import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

export const BASE = new URL(process.env.SEANCES_BASE_URL || 'http://127.0.0.1:8098/');
export const USER = process.env.SEANCES_USER || 'demo';
export const SHOTS = resolve(process.env.SEANCES_SCREENSHOTS || join(here, '..', '..', 'build', 'browser'));
export const COOKIE = 'seances_session';
// a phone held upright, as the tests at 360 px use it
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export function isLoopback(u) {
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

assert.ok(isLoopback(BASE), `SEANCES_BASE_URL must be a loopback address, not ${BASE.host}`);
assert.ok(process.env.SEANCES_PASSWORD_FILE, 'SEANCES_PASSWORD_FILE must name the demo password file');
export const PASSWORD = readFileSync(process.env.SEANCES_PASSWORD_FILE, 'utf8').trim();
mkdirSync(SHOTS, { recursive: true });

export const url = (path) => new URL(path, BASE).href;

const CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    // never an http_proxy from the environment
    '--no-proxy-server',
];

// Chromium for the calling test file: launched before its first test and closed after its
// last. Returns newContext(options, { shared }): a context in French (unless options say
// otherwise) with `defaults` under `options`, closed after the test that opened it, or, shared,
// after the file's last test (a request off the loopback fails the test it happened in).
export function useChromium(defaults = {}) {
    let browser;
    const contexts = [];
    const shared = [];
    let offLoopback = [];

    before(async () => {
        browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    });
    after(async () => {
        while (shared.length) {
            await shared.pop().close();
        }
        await browser?.close();
    });
    afterEach(async () => {
        while (contexts.length) {
            await contexts.pop().close();
        }
        const seen = offLoopback;
        offLoopback = [];
        assert.deepEqual(seen, [], 'requests outside the loopback range');
    });

    return async function newContext(options = {}, { shared: keep = false } = {}) {
        const context = await browser.newContext({ locale: 'fr-CH', ...defaults, ...options });
        (keep ? shared : contexts).push(context);
        await context.route(
            (u) => (u.protocol === 'http:' || u.protocol === 'https:') && !isLoopback(u),
            (route) => {
                offLoopback.push(route.request().url());
                return route.abort('blockedbyclient');
            },
        );
        context.setDefaultTimeout(15000);
        return context;
    };
}

// The login form's two fields, filled (the French labels).
export async function fillLogin(page, { user = USER, password = PASSWORD } = {}) {
    await page.getByLabel("Nom d'utilisateur").fill(user);
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
}

// Clicks (or taps) what leads to a new page, and returns that navigation's response.
export async function clickAndWait(page, locator, { tap = false } = {}) {
    const [response] = await Promise.all([page.waitForNavigation(), tap ? locator.tap() : locator.click()]);
    return response;
}
