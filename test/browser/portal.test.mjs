// Browser tests of "Mon portail" in the demo: opened from the app's user menu at 360 px and at
// desktop size, its links back, and signing out a second session. Same set-up as
// lib.mjs (Debian's Chromium through playwright-core, loopback only).
//
// The 2FA switch leads to /2fa/setup, which another page provides: it is checked, never followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, COOKIE, PHONE as MOBILE, SHOTS, USER, url, useChromium, fillLogin, clickAndWait } from './lib.mjs';

const SECTIONS = [
    'Connexion',
    'Mot de passe',
    'Authentification à deux facteurs',
    'Applications',
    'Connexions récentes',
    'Sessions ouvertes',
];

const ANDROID =
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

const newContext = useChromium();

// Opens a page of the app, is sent to the form, logs in and lands back on that page.
async function login(page, path = '/') {
    await page.goto(url(path));
    assert.equal(new URL(page.url()).pathname, '/login');
    await fillLogin(page);
    await clickAndWait(page, page.getByRole('button', { name: 'Connexion' }));
    assert.equal(page.url(), url(path));
}

// The user menu's "Mon portail" (a <details> menu: tap or click its summary first).
async function openPortalFromMenu(page, { tap = false } = {}) {
    const summary = page.locator('.usermenu summary');
    await (tap ? summary.tap() : summary.click());
    const link = page.getByRole('link', { name: 'Mon portail' });
    assert.ok(await link.isVisible(), 'the menu shows "Mon portail"');
    await clickAndWait(page, link, { tap });
    assert.equal(new URL(page.url()).pathname, '/portal');
}

async function assertPortal(page) {
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.ok(await page.getByRole('heading', { level: 1, name: 'Mon portail' }).isVisible());
    for (const name of SECTIONS) {
        assert.ok(await page.getByRole('heading', { level: 2, name, exact: true }).isVisible(), `section ${name}`);
    }
    assert.equal((await page.locator('.user-name').innerText()).trim(), USER);
    assert.ok(await page.getByRole('link', { name: 'App pour les séances' }).isVisible(), 'the granted app');
    // the 2FA switch: a real control that screen readers announce as a switch
    const sw = page.getByRole('switch', { name: 'Authentification à deux facteurs' });
    assert.equal(await sw.count(), 1);
    assert.equal(await sw.getAttribute('aria-checked'), 'false');
    assert.ok(await sw.isEnabled());
    assert.equal(await sw.evaluate((el) => el.form.getAttribute('action')), '/2fa/setup');
    assert.equal(await sw.evaluate((el) => el.form.method), 'get');
    await sw.focus();
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'switch', 'reachable by keyboard');
    assert.ok(await page.getByText('Cette session').isVisible());
}

async function width(page) {
    return page.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        viewport: window.innerWidth,
    }));
}

async function assertInside(page, locator, what) {
    const box = await locator.boundingBox();
    assert.ok(box, `${what} is not rendered`);
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `${what} at ${JSON.stringify(box)}`);
}

test('desktop: "Mon portail" from the user menu, and back to the page it came from', async () => {
    const context = await newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await login(page, '/conseil-communal.html');
    await openPortalFromMenu(page);
    assert.equal(new URL(page.url()).searchParams.get('return'), '/conseil-communal.html');
    await assertPortal(page);
    await page.screenshot({ path: join(SHOTS, 'portal-desktop.png'), fullPage: true });

    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /Retour à l.application/ }).click()]);
    assert.equal(page.url(), url('/conseil-communal.html'), '"Retour à l\'application" goes back');

    // the app's logout is a POST form in the menu (issue 10): one click ends the session
    await page.locator('.usermenu summary').click();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Se déconnecter' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/logout');
    assert.ok(await page.getByText('Vous êtes déconnecté.').isVisible());
});

test('360 px: the portal from the menu fits the screen, every section readable', async () => {
    const context = await newContext(MOBILE);
    const page = await context.newPage();
    await login(page);
    await openPortalFromMenu(page, { tap: true });
    await assertPortal(page);
    const w = await width(page);
    assert.equal(w.viewport, 360);
    assert.ok(w.doc <= 360 && w.body <= 360, `the portal is ${JSON.stringify(w)} wide`);
    await assertInside(page, page.getByRole('switch'), 'the 2FA switch');
    await assertInside(page, page.getByRole('button', { name: 'Changer le mot de passe' }), 'the password button');
    await assertInside(page, page.getByRole('button', { name: /^Déconnecter/ }).first(), 'Déconnecter');
    await assertInside(page, page.getByLabel('Confirmer le nouveau mot de passe'), 'the confirmation field');
    await page.screenshot({ path: join(SHOTS, 'portal-mobile.png'), fullPage: true });

    // the way out from the portal: its logout page's "Annuler" comes back to the portal
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Se déconnecter' }).tap()]);
    assert.equal(new URL(page.url()).pathname, '/logout');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Annuler' }).tap()]);
    assert.equal(new URL(page.url()).pathname, '/portal');
});

test('signing out a second session from the portal', async () => {
    const first = await newContext({ viewport: { width: 1280, height: 900 } });
    const second = await newContext({ ...MOBILE, userAgent: ANDROID });
    const page = await first.newPage();
    const phone = await second.newPage();
    await login(page);
    await login(phone);

    await page.goto(url('/portal'));
    const sessions = page.locator('.sessions > li');
    const count = await sessions.count();
    assert.ok(count >= 2, `at least two sessions are listed, not ${count}`);
    const mine = page.locator('.sessions > li.current');
    assert.equal(await mine.count(), 1, 'one is marked "Cette session"');
    // the phone's session, named by its browser (earlier tests left sessions of other browsers)
    const other = page.locator('.sessions > li:not(.current)').filter({ hasText: 'Chrome sur Android' });
    assert.equal(await other.count(), 1, 'the phone is listed, named by its browser');
    await page.screenshot({ path: join(SHOTS, 'portal-sessions.png'), fullPage: true });
    await Promise.all([page.waitForNavigation(), other.getByRole('button', { name: /^Déconnecter/ }).click()]);
    assert.equal(new URL(page.url()).hash, '#sessions');
    assert.ok(await page.getByRole('status').filter({ hasText: 'La session a été fermée.' }).isVisible());
    assert.equal(await page.locator('.sessions > li').count(), count - 1, 'one session fewer');

    // the phone's cookie opens nothing any more; this browser still works
    await phone.goto(url('/'));
    assert.equal(new URL(phone.url()).pathname, '/login', 'the phone is back at the login');
    await page.goto(url('/'));
    assert.equal(new URL(page.url()).pathname, '/', 'this browser is still signed in');
    const cookie = (await first.cookies(BASE.href)).find((c) => c.name === COOKIE);
    assert.ok(cookie, 'and keeps its cookie');
});
