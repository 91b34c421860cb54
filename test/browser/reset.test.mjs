// Browser test of "Mot de passe oublié ?" (issue 9) in front of the demo: from the login page's
// link to the mail in the demo's SMTP sink (its Maildir), the link, a new password, a login
// with it; then the short code typed "on another device" sets the demo password back, so that
// the other browser tests keep their password.
//
//   SEANCES_BASE_URL, SEANCES_PASSWORD_FILE, SEANCES_SCREENSHOTS: see lib.mjs
//   SEANCES_MAILDIR   the demo sink's Maildir (DEMO_DIR/mail, written by test/smtp/sink.py)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD, SHOTS, USER, url, useChromium, fillLogin, clickAndWait } from './lib.mjs';

const EMAIL = process.env.SEANCES_EMAIL || 'demo@demo.invalid';
const MAILDIR = process.env.SEANCES_MAILDIR;
const NEW_PASSWORD = 'un nouveau mot de passe 2026';

assert.ok(MAILDIR, 'SEANCES_MAILDIR must name the demo sink\'s Maildir');

const newContext = useChromium();

function mailFiles() {
    const dir = join(MAILDIR, 'new');
    try {
        return readdirSync(dir).filter((f) => !f.startsWith('.')).map((f) => join(dir, f));
    } catch {
        return [];
    }
}

// The text part of the first new mail to the demo user holding a reset link.
function decodeQp(s) {
    return Buffer.from(s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g,
        (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

async function waitResetMail(seen) {
    for (let i = 0; i < 50; i++) {
        for (const f of mailFiles().filter((x) => !seen.has(x))) {
            const raw = readFileSync(f, 'latin1');
            if (!raw.includes(`To: ${EMAIL}`)) continue;
            const text = decodeQp(raw);
            const link = text.match(/(http:\/\/\S+\/reset\?token=[A-Za-z0-9_-]+)/);
            const code = text.match(/^(\d{4} \d{4})\r?$/m);
            if (link && code) return { link: link[1], code: code[1], raw };
        }
        await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail('no reset mail arrived in the demo sink');
}

async function askReset(page) {
    const seen = new Set(mailFiles());
    await page.goto(url('/login'));
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Mot de passe oublié\u202f?' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/forgot');
    await page.getByLabel("Nom d'utilisateur ou adresse e-mail").fill(USER);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Envoyer le lien' }).click()]);
    assert.ok(await page.getByText('Si un compte correspond, un e-mail a été envoyé').isVisible());
    return waitResetMail(seen);
}

async function loginWith(page, password) {
    await page.goto(url('/login'));
    await fillLogin(page, { password });
    await clickAndWait(page, page.getByRole('button', { name: 'Connexion' }));
    return new URL(page.url()).pathname;
}

test('forgotten password: from the login page\'s link to a new password', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const mail = await askReset(page);
    assert.ok(mail.link.startsWith(url('/reset?token=')), `the link comes from SeancesBaseURL: ${mail.link}`);
    assert.match(mail.raw, /Content-Type: multipart\/alternative/);

    const response = await page.goto(mail.link);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['referrer-policy'], 'no-referrer');
    await page.screenshot({ path: join(SHOTS, 'reset-form.png'), fullPage: true });
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirmer le nouveau mot de passe').fill(NEW_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click()]);
    assert.ok(await page.getByText('Toutes vos sessions ont été fermées').isVisible());
    await page.screenshot({ path: join(SHOTS, 'reset-done.png'), fullPage: true });

    // the link is spent
    const again = await page.goto(mail.link);
    assert.equal(again.status(), 410);
    assert.ok(await page.getByRole('link', { name: 'Demander un nouveau lien' }).isVisible());

    const fresh = await (await newContext()).newPage();
    assert.equal(await loginWith(fresh, PASSWORD), '/login', 'the old password fails');
    assert.equal(await loginWith(fresh, NEW_PASSWORD), '/', 'the new one opens the app');
});

test('forgotten password: the short code from another device sets the demo password back', async () => {
    const context = await newContext();
    const mail = await askReset(await context.newPage());
    const other = await (await newContext()).newPage();
    await other.goto(url('/reset'));
    await other.getByLabel("Nom d'utilisateur ou adresse e-mail").fill(USER);
    await other.getByLabel('Code reçu par e-mail').fill(mail.code);
    await Promise.all([other.waitForNavigation(), other.getByRole('button', { name: 'Continuer' }).click()]);
    await other.getByLabel('Nouveau mot de passe', { exact: true }).fill(PASSWORD);
    await other.getByLabel('Confirmer le nouveau mot de passe').fill(PASSWORD);
    await Promise.all([other.waitForNavigation(), other.getByRole('button', { name: 'Enregistrer le mot de passe' }).click()]);
    assert.ok(await other.getByText('Toutes vos sessions ont été fermées').isVisible());
    assert.equal(await loginWith(other, PASSWORD), '/', 'the demo password works again');
});
