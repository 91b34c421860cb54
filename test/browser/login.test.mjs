// Browser tests of the login in front of the demo "App pour les séances": Debian's Chromium,
// driven by playwright-core, against a demo instance that test/browser/run.sh starts.
//
// The environment and the set-up every file shares are in lib.mjs: a fresh browser context per
// test, and a request to any host outside the loopback range aborted and failing the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { COOKIE, BASE, USER, PASSWORD, SHOTS, url, useChromium, fillLogin, clickAndWait } from './lib.mjs';

const REMEMBER_DAYS = 30;
const newContext = useChromium();

async function sessionCookie(context) {
    return (await context.cookies(BASE.href)).find((c) => c.name === COOKIE);
}

// Opens the app, follows the redirect to the form and logs in.
async function login(page, { password = PASSWORD, remember = false } = {}) {
    await page.goto(url('/'));
    assert.equal(new URL(page.url()).pathname, '/login');
    await fillLogin(page, { password });
    if (remember) {
        await page.getByLabel('Rester connecté').check();
    }
    return clickAndWait(page, page.getByRole('button', { name: 'Connexion' }));
}

async function assertOnMeetingList(page) {
    assert.equal(page.url(), url('/'));
    assert.ok(await page.getByRole('heading', { level: 1, name: 'Prochaines séances' }).isVisible());
    assert.equal((await page.locator('.usermenu summary').innerText()).trim(), USER);
    assert.ok(await page.getByText('Conseil communal').first().isVisible());
}

async function noHorizontalScroll(page) {
    return page.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        viewport: window.innerWidth,
    }));
}

test('the app redirects to the French login form', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const response = await page.goto(url('/'));
    const redirect = response.request().redirectedFrom();
    assert.ok(redirect, 'the app answered without a redirect');
    assert.equal((await redirect.response()).status(), 302);
    const landed = new URL(page.url());
    assert.equal(landed.pathname, '/login');
    assert.equal(landed.searchParams.get('return'), '/');
    assert.equal(response.status(), 200);

    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    const username = page.getByLabel("Nom d'utilisateur");
    assert.equal(await username.count(), 1);
    assert.equal(await username.getAttribute('name'), 'username');
    assert.equal(await username.getAttribute('autocomplete'), 'username');
    const password = page.getByLabel('Mot de passe', { exact: true });
    assert.equal(await password.getAttribute('type'), 'password');
    assert.equal(await password.getAttribute('name'), 'password');
    const remember = page.getByLabel('Rester connecté');
    assert.equal(await remember.getAttribute('type'), 'checkbox');
    assert.equal(await remember.getAttribute('name'), 'remember');
    assert.equal(await remember.isChecked(), false);
    assert.ok(await page.getByRole('button', { name: 'Connexion' }).isVisible());
    assert.ok(await page.getByRole('link', { name: 'Mot de passe oublié\u202f?' }).isVisible());
    assert.equal(await page.locator('input[type=hidden][name=csrf]').count(), 1);
    assert.equal(await page.locator('input[type=hidden][name=return]').getAttribute('value'), '/');
    await page.screenshot({ path: join(SHOTS, 'login-desktop.png'), fullPage: true });
});

test('logging in lands on the meeting list, with a browser-session cookie', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const response = await login(page);
    assert.equal(response.status(), 200);
    assert.equal((await response.request().redirectedFrom().response()).status(), 303);
    await assertOnMeetingList(page);

    const cookie = await sessionCookie(context);
    assert.ok(cookie, 'no session cookie');
    assert.equal(cookie.expires, -1, 'without "Rester connecté" the cookie must not outlive the browser');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.path, '/');
    const names = (await context.cookies(BASE.href)).map((c) => c.name);
    assert.ok(!names.includes(`${COOKIE}_csrf`), 'the pre-session cookie should be gone');

    // the agenda of a meeting, still logged in
    await page.getByRole('link', { name: 'Ordre du jour' }).last().click();
    assert.match(page.url(), /conseil-communal\.html$/);
    assert.ok(await page.getByRole('heading', { name: 'Ordre du jour' }).isVisible());
    assert.equal((await page.locator('.usermenu summary').innerText()).trim(), USER);
    await page.goto(url('/'));
    await page.screenshot({ path: join(SHOTS, 'app-desktop.png'), fullPage: true });
});

test('"Rester connecté" makes the cookie last about 30 days', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await login(page, { remember: true });
    await assertOnMeetingList(page);
    const cookie = await sessionCookie(context);
    assert.ok(cookie, 'no session cookie');
    const expected = Date.now() / 1000 + REMEMBER_DAYS * 86400;
    assert.ok(
        Math.abs(cookie.expires - expected) < 3600,
        `cookie expires ${new Date(cookie.expires * 1000).toISOString()}, expected about ` +
            new Date(expected * 1000).toISOString(),
    );
});

test('a wrong password shows the error and sets no session cookie', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const response = await login(page, { password: `${PASSWORD}-wrong` });
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(response.status(), 200);
    const alert = page.getByRole('alert');
    assert.ok(await alert.isVisible());
    assert.match(await alert.innerText(), /Nom d'utilisateur ou mot de passe incorrect/);
    assert.equal(await sessionCookie(context), undefined);
    // the name stays filled in, the password does not
    assert.equal(await page.getByLabel("Nom d'utilisateur").inputValue(), USER);
    assert.equal(await page.getByLabel('Mot de passe', { exact: true }).inputValue(), '');
    await page.screenshot({ path: join(SHOTS, 'login-error.png'), fullPage: true });
});

test('at 360 px the login form and the app fit without horizontal scrolling', async () => {
    const context = await newContext({
        viewport: { width: 360, height: 740 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    await page.goto(url('/'));
    assert.equal(new URL(page.url()).pathname, '/login');
    let width = await noHorizontalScroll(page);
    assert.equal(width.viewport, 360);
    assert.ok(width.doc <= 360 && width.body <= 360, `login page is ${JSON.stringify(width)} wide`);
    const submit = page.getByRole('button', { name: 'Connexion' });
    assert.ok(await submit.isVisible());
    const box = await submit.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `button at ${JSON.stringify(box)}`);
    assert.ok(box.y + box.height <= 740, `button below the fold: ${JSON.stringify(box)}`);
    await page.screenshot({ path: join(SHOTS, 'login-mobile.png'), fullPage: true });

    await fillLogin(page);
    await clickAndWait(page, submit, { tap: true });
    await assertOnMeetingList(page);
    width = await noHorizontalScroll(page);
    assert.ok(width.doc <= 360 && width.body <= 360, `meeting list is ${JSON.stringify(width)} wide`);
    await page.screenshot({ path: join(SHOTS, 'app-mobile.png'), fullPage: true });

    // the user menu opens inside the screen
    await page.locator('.usermenu summary').tap();
    const logout = page.getByRole('button', { name: 'Se déconnecter' });
    assert.ok(await logout.isVisible());
    const menu = await page.locator('.usermenu ul').boundingBox();
    assert.ok(menu.x >= 0 && menu.x + menu.width <= 360, `menu at ${JSON.stringify(menu)}`);
    width = await noHorizontalScroll(page);
    assert.ok(width.doc <= 360, `with the menu open: ${JSON.stringify(width)}`);
    await page.screenshot({ path: join(SHOTS, 'app-mobile-menu.png') });

    await page.goto(url('/conseil-communal.html'));
    width = await noHorizontalScroll(page);
    assert.ok(width.doc <= 360 && width.body <= 360, `agenda page is ${JSON.stringify(width)} wide`);
    await page.screenshot({ path: join(SHOTS, 'agenda-mobile.png'), fullPage: true });
});

test('Accept-Language: de gives the German form', async () => {
    const context = await newContext({ locale: 'de-CH', extraHTTPHeaders: { 'Accept-Language': 'de' } });
    const page = await context.newPage();
    await page.goto(url('/'));
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.equal(await page.getByLabel('Benutzername').getAttribute('name'), 'username');
    assert.equal(await page.getByLabel('Passwort', { exact: true }).getAttribute('name'), 'password');
    assert.equal(await page.getByLabel('Angemeldet bleiben').getAttribute('name'), 'remember');
    assert.ok(await page.getByRole('button', { name: 'Anmelden' }).isVisible());
    assert.ok(await page.getByRole('link', { name: 'Passwort vergessen?' }).isVisible());
    assert.equal(await page.getByText("Nom d'utilisateur").count(), 0);
    await page.screenshot({ path: join(SHOTS, 'login-de.png'), fullPage: true });
});

test('logging out through the user menu ends the session', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await login(page);
    await assertOnMeetingList(page);
    const before = await sessionCookie(context);
    assert.ok(before, 'no session cookie');

    await page.locator('.usermenu summary').click();
    assert.ok(await page.getByRole('link', { name: 'Mon portail' }).isVisible());
    // one click: the menu's "Se déconnecter" is a POST form with the session's token
    await Promise.all([
        page.waitForNavigation(),
        page.getByRole('button', { name: 'Se déconnecter' }).click(),
    ]);
    assert.equal(new URL(page.url()).pathname, '/logout');
    assert.ok(await page.getByText('Vous êtes déconnecté').isVisible());
    assert.equal(await sessionCookie(context), undefined, 'the cookie should be cleared');

    await page.goto(url('/'));
    const landed = new URL(page.url());
    assert.equal(landed.pathname, '/login');
    assert.equal(landed.searchParams.get('return'), '/');

    // a copy of the old cookie is dead too: the session ended on the server
    const other = await newContext();
    await other.addCookies([{ ...before }]);
    const page2 = await other.newPage();
    await page2.goto(url('/'));
    assert.equal(new URL(page2.url()).pathname, '/login');
});
