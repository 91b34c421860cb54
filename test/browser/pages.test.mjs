// Every page of the module, in the four languages, at 360 px and at 1280 px (issue 10): a
// screenshot of each into SEANCES_SCREENSHOTS/pages/ (kept as test artefacts), and axe-core's
// accessibility check on each, which must find no serious or critical violation. Then the
// parts of the login form that need a browser: the language switch, the show-password box,
// the Caps Lock hint, the focus ring.
//
// The list of pages is data: a page that arrives later is one line in PAGES.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BASE, USER, SHOTS as SHOTS_ROOT, url, useChromium, fillLogin, clickAndWait } from './lib.mjs';

const require = createRequire(import.meta.url);
const SHOTS = join(SHOTS_ROOT, 'pages');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const LANGS = ['fr', 'de', 'it', 'en'];
const WIDTHS = [360, 1280];
const FORM = 'application/x-www-form-urlencoded';
mkdirSync(SHOTS, { recursive: true });

// name: the screenshot's name; path; status expected; signedIn: with the demo user's session;
// method and body: a request the address bar cannot make (sent through a route).
const PAGES = [
    { name: 'login', path: '/login?return=/', status: 200 },
    { name: 'login-expired-form', path: '/login', status: 200, method: 'POST', body: `csrf=stale&username=${USER}&return=/` },
    { name: 'login-signed-in', path: '/login?return=/', status: 200, signedIn: true },
    { name: 'logout', path: '/logout', status: 200, signedIn: true },
    { name: 'logged-out', path: '/logout', status: 200 },
    { name: 'portal', path: '/portal', status: 200, signedIn: true },
    { name: '2fa-setup', path: '/2fa/setup', status: 200, signedIn: true },
    { name: 'error-400', path: '/login', status: 400, method: 'POST', body: 'username=%zz' },
    { name: 'error-403', path: '/logout', status: 403, method: 'POST', body: 'csrf=stale', signedIn: true },
    { name: 'error-404', path: '/login/no-such-page', status: 404 },
    { name: 'error-404-app', path: '/no-such-page.html', status: 404, signedIn: true },
    { name: 'error-405', path: '/login', status: 405, method: 'PUT', body: 'x' },
    { name: 'error-413', path: '/login', status: 413, method: 'POST', body: `username=${'a'.repeat(20000)}` },
    { name: 'error-429', path: '/demo/too-many', status: 429 },
    { name: 'error-503', path: '/demo/unavailable', status: 503, signedIn: true },
    { name: 'forgot', path: '/forgot', status: 200 },
    { name: 'reset-code', path: '/reset', status: 200 },
    { name: 'reset-invalid', path: '/reset?token=x', status: 410 },
];

const newContext = useChromium({ viewport: { width: 1280, height: 900 } });

async function signIn(context) {
    const page = await context.newPage();
    await page.goto(url('/login?return=/'));
    await fillLogin(page);
    await clickAndWait(page, page.getByRole('button', { name: 'Connexion' }));
    assert.equal(page.url(), url('/'), 'signed in');
    await page.close();
}

async function open(page, p) {
    if (p.method) {
        await page.route(url(p.path), (route) =>
            route.continue({ method: p.method, postData: p.body, headers: { ...route.request().headers(), 'content-type': FORM } }),
            { times: 1 });
    }
    return page.goto(url(p.path));
}

async function axeViolations(page) {
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
        await page.evaluate(AXE);
    }
    const result = await page.evaluate(() =>
        // eslint-disable-next-line no-undef
        axe.run(document, { resultTypes: ['violations'] }));
    return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// One test per page (a failure names the page). axe runs on every page at both widths in
// French, and on the login page in the other languages too: the layout changes with the
// width; the colours, roles and structure do not change with the language (only its words,
// which the login page checks). Screenshots: every page, language and width.
const timing = { shots: 0, shotMs: 0, axe: 0, axeMs: 0 };
let anonymous;
let signedIn;

// made at the first page test (after the browser started), shared by the page tests
async function pageContexts() {
    if (signedIn) {
        return;
    }
    anonymous = await newContext({}, { shared: true });
    signedIn = await newContext({}, { shared: true });
    await signIn(signedIn);
}

after(() => {
    console.log(`# pages: ${timing.shots} screenshots (${Math.round(timing.shotMs / 1000)} s), ` +
        `${timing.axe} axe runs (${Math.round(timing.axeMs / 1000)} s), in ${SHOTS}`);
});

for (const p of PAGES) {
    test(`page ${p.name}: ${LANGS.length} languages x ${WIDTHS.join('/')} px, screenshots, axe`, async () => {
        await pageContexts();
        const context = p.signedIn ? signedIn : anonymous;
        const problems = [];
        for (const lang of LANGS) {
            await context.addCookies([{ name: 'seances_lang', value: lang, url: BASE.href }]);
            const page = await context.newPage();
            const csp = [];
            page.on('console', (m) => /Content Security Policy/i.test(m.text()) && csp.push(m.text()));
            const response = await open(page, p);
            const where = `${p.name} [${lang}]`;
            if (response.status() !== p.status) {
                problems.push(`${where}: status ${response.status()}, expected ${p.status}`);
            }
            if ((await page.locator('html').getAttribute('lang')) !== lang) {
                problems.push(`${where}: <html lang> is not ${lang}`);
            }
            if ((await page.locator('nav.langs a').count()) !== 4) {
                problems.push(`${where}: no language switch`);
            }
            for (const width of WIDTHS) {
                await page.setViewportSize({ width, height: width < 400 ? 740 : 900 });
                if (width === 360) {
                    const w = await page.evaluate(() => document.documentElement.scrollWidth);
                    if (w > 360) problems.push(`${where}: ${w} px wide at 360 px`);
                }
                let t = Date.now();
                await page.screenshot({ path: join(SHOTS, `${p.name}-${lang}-${width}.png`), fullPage: true });
                timing.shots++;
                timing.shotMs += Date.now() - t;
                if (lang === 'fr' || (width === 1280 && p.name === 'login')) {
                    t = Date.now();
                    for (const v of await axeViolations(page)) problems.push(`${where} ${width}px: ${v}`);
                    timing.axe++;
                    timing.axeMs += Date.now() - t;
                }
            }
            if (csp.length) problems.push(`${where}: ${csp.join('; ')}`);
            await page.close();
        }
        assert.deepEqual(problems, []);
    });
}

test('the language switch sets the cookie and every page follows it', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(url('/login?return=/conseil-communal.html'));
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Deutsch' }).click()]);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.equal(await page.locator('input[name=return]').inputValue(), '/conseil-communal.html', 'the return target stays');
    const cookie = (await context.cookies(BASE.href)).find((c) => c.name === 'seances_lang');
    assert.equal(cookie?.value, 'de');
    await page.goto(url('/logout'));
    assert.equal(await page.locator('html').getAttribute('lang'), 'de', 'the next page is German too');
    assert.ok(await page.getByText('Sie sind abgemeldet.').isVisible());
});

test('show-password box, Caps Lock hint, remember hint and the focus ring of the login form', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(url('/login'));
    const password = page.getByLabel('Mot de passe', { exact: true });
    const reveal = page.getByLabel('Afficher le mot de passe');
    assert.ok(await reveal.isVisible(), 'the script runs under the CSP and shows the box');
    await password.fill('secret words');
    await reveal.check();
    assert.equal(await password.getAttribute('type'), 'text');
    await reveal.uncheck();
    assert.equal(await password.getAttribute('type'), 'password');

    const caps = page.locator('#password-caps');
    assert.equal(await caps.isVisible(), false);
    await password.dispatchEvent('keydown', { key: 'A', modifierCapsLock: true });
    assert.ok(await caps.isVisible(), 'Caps Lock on: the hint shows');
    await password.dispatchEvent('keyup', { key: 'a', modifierCapsLock: false });
    assert.equal(await caps.isVisible(), false, 'Caps Lock off: it goes');

    assert.ok(await page.getByText('30 jours\u202f; pas sur un ordinateur partagé').isVisible());
    assert.ok(await page.getByRole('link', { name: 'Mot de passe oublié\u202f?' }).isVisible());

    await page.getByLabel("Nom d'utilisateur").focus();
    const ring = await page.getByLabel("Nom d'utilisateur").evaluate((e) => {
        const s = getComputedStyle(e);
        return { outline: s.outlineColor, width: s.outlineWidth, shadow: s.boxShadow };
    });
    assert.equal(ring.outline, 'rgb(11, 12, 12)', 'a dark inner ring');
    assert.equal(ring.width, '3px');
    assert.match(ring.shadow, /rgb\(255, 191, 71\)/, 'inside the yellow one');
});

test('without JavaScript the form stays whole: no show-password box, login works', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url('/login?return=/'));
    assert.equal(await page.getByLabel('Afficher le mot de passe').isVisible(), false);
    await fillLogin(page);
    await clickAndWait(page, page.getByRole('button', { name: 'Connexion' }));
    assert.equal(page.url(), url('/'));
    // the user menu's logout is a form: one click, still without JavaScript
    await page.locator('.usermenu summary').click();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se déconnecter' }).click()]);
    assert.ok(await page.getByText('Vous êtes déconnecté.').isVisible());
    await page.goto(url('/'));
    assert.equal(new URL(page.url()).pathname, '/login', 'the session is over');
});
