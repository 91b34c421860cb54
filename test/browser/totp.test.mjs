// Two-factor authentication in Debian's Chromium at 360 px, as a person on a phone would do
// it: open /2fa/setup, read the secret from the page (the phone cannot scan its own screen),
// compute the code (RFC 6238 with node's HMAC, checked against the RFC's vector first), turn
// 2FA on, log in again with a code, and turn it off with a recovery code so that the demo user
// is as it was. Same environment as the other files (lib.mjs, test/browser/run.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { BASE, PHONE, SHOTS, USER, url, useChromium, fillLogin, clickAndWait } from './lib.mjs';

// ---- RFC 4648 base32 and RFC 6238 TOTP (SHA1, 6 digits, 30 s) ----
function base32Decode(text) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = 0, value = 0;
    const out = [];
    for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
        const v = alphabet.indexOf(c);
        assert.ok(v >= 0, `not base32: ${c}`);
        value = (value << 5) | v;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push((value >>> bits) & 0xff);
        }
    }
    return Buffer.from(out);
}

function totp(key, seconds = Date.now() / 1000, digits = 6) {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
    const mac = createHmac('sha1', key).update(counter).digest();
    const offset = mac[mac.length - 1] & 0x0f;
    const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
    return String(value).padStart(digits, '0');
}

const newPhone = useChromium(PHONE);

async function fitsTheScreen(page, what) {
    const width = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    assert.ok(width.doc <= 360 && width.body <= 360, `${what} is ${JSON.stringify(width)} wide`);
}

async function submit(page, name) {
    return clickAndWait(page, page.getByRole('button', { name }), { tap: true });
}

async function passwordStep(page) {
    await page.goto(url('/'));
    assert.equal(new URL(page.url()).pathname, '/login');
    await fillLogin(page);
    return submit(page, 'Connexion');
}

test('the TOTP of this test matches RFC 6238 (SHA1, T = 59 s)', () => {
    assert.equal(totp(Buffer.from('12345678901234567890'), 59, 8), '94287082');
    assert.equal(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').toString(), '12345678901234567890');
});

test('at 360 px: enrol by reading the secret, log in with a code, turn it off with a recovery code', async () => {
    // ---- enrolment, in a session of the password alone
    let context = await newPhone();
    let page = await context.newPage();
    await passwordStep(page);
    assert.equal(new URL(page.url()).pathname, '/');
    await page.goto(url('/2fa/setup'));
    assert.ok(await page.getByRole('heading', { level: 1, name: 'Authentification à deux facteurs' }).isVisible());
    const qr = page.getByRole('img', { name: /Code QR/ });
    assert.ok(await qr.isVisible(), 'the QR code is shown');
    const box = await qr.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360 && box.width >= 150, `QR code at ${JSON.stringify(box)}`);
    assert.ok(await page.evaluate(() => document.querySelector('img.qr').naturalWidth > 0), 'the PNG loaded');
    const grouped = (await page.locator('#secret').innerText()).trim();
    assert.match(grouped, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const key = base32Decode(grouped);
    assert.equal(key.length, 20);
    const link = await page.locator('#otpauth-uri').getAttribute('href');
    assert.match(link, new RegExp(`^otpauth://totp/App%20pour%20les%20s%C3%A9ances:${USER}\\?secret=${grouped.replace(/ /g, '')}&issuer=`));
    const code = page.getByLabel('Code de confirmation');
    assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await code.getAttribute('inputmode'), 'numeric');
    await fitsTheScreen(page, 'the enrolment page');
    await page.screenshot({ path: join(SHOTS, 'totp-setup-mobile.png'), fullPage: true });

    await code.fill(totp(key));
    await submit(page, 'Vérifier et activer');
    assert.ok(await page.getByText("L'authentification à 2 facteurs est maintenant liée à votre compte").isVisible());
    const recovery = await page.locator('#recovery-codes li').allInnerTexts();
    assert.equal(recovery.length, 10);
    recovery.forEach((c) => assert.match(c.trim(), /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/));
    await fitsTheScreen(page, 'the recovery codes');
    await page.screenshot({ path: join(SHOTS, 'totp-done-mobile.png'), fullPage: true });
    await context.close();

    // ---- the next login asks for the code
    context = await newPhone();
    page = await context.newPage();
    await passwordStep(page);
    assert.equal(new URL(page.url()).pathname, '/login');
    const field = page.getByLabel('Code à 6 chiffres');
    assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await field.getAttribute('inputmode'), 'numeric');
    await fitsTheScreen(page, 'the code form');
    await page.screenshot({ path: join(SHOTS, 'totp-code-mobile.png'), fullPage: true });
    assert.equal((await context.cookies(BASE.href)).find((c) => c.name === 'seances_session'), undefined,
        'no session before the code');
    // the enrolment used this step's code: the next step's is the one a phone shows next
    await field.fill(totp(key, Date.now() / 1000 + 30));
    await submit(page, 'Vérifier');
    assert.equal(page.url(), url('/'));
    assert.ok(await page.getByRole('heading', { level: 1, name: 'Prochaines séances' }).isVisible());
    await fitsTheScreen(page, 'the meeting list');

    // ---- turning it off with a recovery code leaves the demo user as it was
    await page.goto(url('/2fa/setup'));
    assert.ok(await page.getByText('L\'authentification à deux facteurs est activée pour votre compte.').isVisible());
    await page.getByLabel('Code ou code de récupération').fill(recovery[0].toLowerCase());
    await submit(page, "Désactiver l'authentification à deux facteurs");
    assert.ok(await page.getByText(/est désactivée/).isVisible());
    await page.screenshot({ path: join(SHOTS, 'totp-off-mobile.png'), fullPage: true });
});
