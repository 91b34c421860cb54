/* The module's words. French is the reference: every key has a French text, and a language
 * that lacks a translation (NULL in its column) shows the French one. One row per key keeps a
 * missing translation visible at a glance; new keys are new rows. */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "core/i18n.h"

typedef struct {
    const char *tkey; /* "t.<key>": the template variable; the key is tkey + 2 */
    const char *text[SA_LANG_COUNT];
} sa_msg_row;

/* Builds the template variable name at compile time, so sa_i18n_fill copies nothing. */
#define ROW(key, fr, de, it, en)                                                                   \
    {                                                                                              \
        "t." key,                                                                                  \
        {                                                                                          \
            fr, de, it, en                                                                         \
        }                                                                                          \
    }

static const sa_msg_row catalog[] = {
    ROW("app_title", "App pour les séances", "App für die Sitzungen", "App per le sedute",
        "Meetings app"),
    ROW("login_title", "Connexion", "Anmeldung", "Accesso", "Sign in"),
    ROW("login_intro", "Veuillez vous connecter pour accéder à l'application.",
        "Bitte melden Sie sich an, um auf die Anwendung zuzugreifen.",
        "Acceda per utilizzare l'applicazione.", "Please sign in to access the application."),
    ROW("username", "Nom d'utilisateur", "Benutzername", "Nome utente", "User name"),
    ROW("password", "Mot de passe", "Passwort", "Password", "Password"),
    ROW("remember", "Rester connecté", "Angemeldet bleiben", "Rimanere connesso", "Stay signed in"),
    ROW("submit_login", "Connexion", "Anmelden", "Accedi", "Sign in"),
    ROW("forgot_link", "Mot de passe oublié\u202f?", "Passwort vergessen?", "Password dimenticata?",
        "Forgot your password?"),
    ROW("login_failed",
        "Nom d'utilisateur ou mot de passe incorrect. Après plusieurs échecs, la connexion est "
        "suspendue pendant quelques minutes.",
        "Benutzername oder Passwort falsch. Nach mehreren Fehlversuchen wird die Anmeldung für "
        "einige Minuten gesperrt.",
        "Nome utente o password errati. Dopo diversi tentativi falliti, l'accesso viene sospeso "
        "per alcuni minuti.",
        "Incorrect user name or password. After several failed attempts, signing in is "
        "suspended for a few minutes."),
    ROW("input_too_long", "Les données saisies sont trop longues.",
        "Die eingegebenen Daten sind zu lang.", "I dati inseriti sono troppo lunghi.",
        "The data entered is too long."),
    ROW("csrf_failed", "Le formulaire a expiré ou n'est pas valable. Veuillez réessayer.",
        "Das Formular ist abgelaufen oder ungültig. Bitte versuchen Sie es erneut.",
        "Il modulo è scaduto o non è valido. Riprovi.",
        "The form has expired or is not valid. Please try again."),
    ROW("bad_request_title", "Requête invalide", "Ungültige Anfrage", "Richiesta non valida",
        "Bad request"),
    ROW("logout_title", "Déconnexion", "Abmeldung", "Disconnessione", "Sign out"),
    ROW("logout_confirm", "Voulez-vous vous déconnecter\u202f?", "Möchten Sie sich abmelden?",
        "Vuole disconnettersi?", "Do you want to sign out?"),
    ROW("logout_button", "Se déconnecter", "Abmelden", "Disconnetti", "Sign out"),
    ROW("logged_out", "Vous êtes déconnecté.", "Sie sind abgemeldet.", "Disconnessione effettuata.",
        "You are signed out."),
    ROW("login_again", "Se reconnecter", "Erneut anmelden", "Accedi di nuovo", "Sign in again"),
    ROW("unavailable_title", "Service temporairement indisponible",
        "Dienst vorübergehend nicht verfügbar", "Servizio temporaneamente non disponibile",
        "Service temporarily unavailable"),
    ROW("forbidden_title", "Accès refusé", "Zugriff verweigert", "Accesso negato", "Access denied"),
    ROW("method_not_allowed", "Méthode non autorisée.", "Methode nicht erlaubt.",
        "Metodo non consentito.", "Method not allowed."),
    ROW("portal", "Mon portail", "Mein Portal", "Il mio portale", "My portal"),
    ROW("logged_in_as", "Connecté en tant que", "Angemeldet als", "Connesso come", "Signed in as"),
    ROW("cancel", "Annuler", "Abbrechen", "Annulla", "Cancel"),
    ROW("pw_too_short", "Le mot de passe est trop court.", "Das Passwort ist zu kurz.",
        "La password è troppo corta.", "The password is too short."),
    ROW("pw_too_long", "Le mot de passe est trop long.", "Das Passwort ist zu lang.",
        "La password è troppo lunga.", "The password is too long."),
    ROW("pw_not_utf8", "Le mot de passe contient des caractères non valables.",
        "Das Passwort enthält ungültige Zeichen.", "La password contiene caratteri non validi.",
        "The password contains invalid characters."),
    ROW("pw_blocklisted", "Ce mot de passe est trop courant.", "Dieses Passwort ist zu verbreitet.",
        "Questa password è troppo comune.", "This password is too common."),
    ROW("pw_contains_name",
        "Le mot de passe ne doit pas contenir votre nom d'utilisateur ou votre adresse e-mail.",
        "Das Passwort darf weder Ihren Benutzernamen noch Ihre E-Mail-Adresse enthalten.",
        "La password non deve contenere il nome utente né l'indirizzo e-mail.",
        "The password must not contain your user name or your e-mail address."),
    ROW("not_found_title", "Page introuvable", "Seite nicht gefunden", "Pagina non trovata",
        "Page not found"),
    /* two-factor authentication (issue 8) */
    ROW("code_title", "Code de vérification", "Bestätigungscode", "Codice di verifica",
        "Verification code"),
    ROW("code_intro",
        "Saisissez le code à 6 chiffres affiché par votre application d'authentification.",
        "Geben Sie den 6-stelligen Code aus Ihrer Authentifizierungs-App ein.",
        "Inserisca il codice a 6 cifre mostrato dalla sua app di autenticazione.",
        "Enter the 6-digit code shown by your authenticator app."),
    ROW("code_label", "Code à 6 chiffres", "6-stelliger Code", "Codice a 6 cifre", "6-digit code"),
    ROW("code_submit", "Vérifier", "Bestätigen", "Verifica", "Verify"),
    ROW("code_recovery_link", "Utiliser un code de récupération",
        "Wiederherstellungscode verwenden", "Usare un codice di recupero", "Use a recovery code"),
    ROW("code_app_link", "Utiliser le code de l'application", "Code der App verwenden",
        "Usare il codice dell'app", "Use the app's code"),
    ROW("code_recovery_intro",
        "Saisissez l'un de vos codes de récupération. Chacun ne sert qu'une fois.",
        "Geben Sie einen Ihrer Wiederherstellungscodes ein. Jeder gilt nur einmal.",
        "Inserisca uno dei suoi codici di recupero. Ciascuno vale una sola volta.",
        "Enter one of your recovery codes. Each works only once."),
    ROW("code_recovery_label", "Code de récupération", "Wiederherstellungscode",
        "Codice di recupero", "Recovery code"),
    ROW("code_cancel", "Annuler et recommencer", "Abbrechen und neu beginnen",
        "Annullare e ricominciare", "Cancel and start again"),
    ROW("code_failed",
        "Code erroné. Après plusieurs échecs, la connexion est suspendue pendant quelques minutes.",
        "Falscher Code. Nach mehreren Fehlversuchen wird die Anmeldung für einige Minuten "
        "gesperrt.",
        "Codice errato. Dopo diversi tentativi falliti, l'accesso viene sospeso per alcuni minuti.",
        "Wrong code. After several failed attempts, signing in is suspended for a few minutes."),
    ROW("code_expired",
        "La vérification a expiré ou a échoué trop souvent. Veuillez vous reconnecter.",
        "Die Bestätigung ist abgelaufen oder zu oft fehlgeschlagen. Bitte melden Sie sich erneut "
        "an.",
        "La verifica è scaduta o è fallita troppe volte. Acceda di nuovo.",
        "The verification has expired or failed too often. Please sign in again."),
    ROW("level2_needed",
        "Cette page demande l'authentification à deux facteurs\u202f: connectez-vous avec votre "
        "code. Si vous ne l'avez pas encore activée, activez-la d'abord.",
        "Diese Seite verlangt die Zwei-Faktor-Authentifizierung: Melden Sie sich mit Ihrem Code "
        "an. Falls Sie sie noch nicht aktiviert haben, aktivieren Sie sie zuerst.",
        "Questa pagina richiede l'autenticazione a due fattori: acceda con il suo codice. Se non "
        "l'ha ancora attivata, la attivi prima.",
        "This page requires two-factor authentication: sign in with your code. If you have not "
        "turned it on yet, turn it on first."),
    ROW("setup_title", "Authentification à deux facteurs", "Zwei-Faktor-Authentifizierung",
        "Autenticazione a due fattori", "Two-factor authentication"),
    ROW("setup_intro",
        "À chaque connexion, en plus du mot de passe, un code de votre téléphone sera demandé.",
        "Bei jeder Anmeldung wird zusätzlich zum Passwort ein Code von Ihrem Telefon verlangt.",
        "A ogni accesso, oltre alla password, verrà chiesto un codice del suo telefono.",
        "At every sign-in, a code from your phone will be asked for besides the password."),
    ROW("setup_forced",
        "Votre organisation exige l'authentification à deux facteurs. Activez-la pour continuer.",
        "Ihre Organisation verlangt die Zwei-Faktor-Authentifizierung. Aktivieren Sie sie, um "
        "fortzufahren.",
        "La sua organizzazione richiede l'autenticazione a due fattori. La attivi per continuare.",
        "Your organisation requires two-factor authentication. Turn it on to continue."),
    ROW("setup_step_app",
        "Installez une application d'authentification (Google Authenticator, Authy, FreeOTP…).",
        "Installieren Sie eine Authentifizierungs-App (Google Authenticator, Authy, FreeOTP …).",
        "Installi un'app di autenticazione (Google Authenticator, Authy, FreeOTP…).",
        "Install an authenticator app (Google Authenticator, Authy, FreeOTP…)."),
    ROW("setup_step_scan", "Scannez ce code QR avec l'application.",
        "Scannen Sie diesen QR-Code mit der App.", "Scansioni questo codice QR con l'app.",
        "Scan this QR code with the app."),
    ROW("setup_step_code", "Saisissez le code à 6 chiffres que l'application affiche.",
        "Geben Sie den 6-stelligen Code ein, den die App anzeigt.",
        "Inserisca il codice a 6 cifre mostrato dall'app.",
        "Enter the 6-digit code that the app shows."),
    ROW("setup_qr_alt", "Code QR à scanner avec l'application d'authentification",
        "QR-Code zum Scannen mit der Authentifizierungs-App",
        "Codice QR da scansionare con l'app di autenticazione",
        "QR code to scan with the authenticator app"),
    ROW("setup_cannot_scan",
        "Impossible de scanner\u202f? Saisissez cette clé dans l'application\u202f:",
        "Scannen nicht möglich? Geben Sie diesen Schlüssel in der App ein:",
        "Impossibile scansionare? Inserisca questa chiave nell'app:",
        "Cannot scan? Enter this key in the app:"),
    ROW("setup_open_app", "Ouvrir dans l'application d'authentification (sur ce téléphone)",
        "In der Authentifizierungs-App öffnen (auf diesem Telefon)",
        "Aprire nell'app di autenticazione (su questo telefono)",
        "Open in the authenticator app (on this phone)"),
    ROW("setup_code_label", "Code de confirmation", "Bestätigungscode", "Codice di conferma",
        "Confirmation code"),
    ROW("setup_submit", "Vérifier et activer", "Prüfen und aktivieren", "Verifica e attiva",
        "Verify and turn on"),
    ROW("setup_wrong",
        "Ce code est erroné. Vérifiez que l'heure de votre téléphone est exacte et saisissez le "
        "code actuel.",
        "Dieser Code ist falsch. Prüfen Sie, ob die Uhrzeit Ihres Telefons stimmt, und geben Sie "
        "den aktuellen Code ein.",
        "Questo codice è errato. Verifichi che l'ora del telefono sia esatta e inserisca il codice "
        "attuale.",
        "This code is wrong. Check that your phone's clock is right and enter the current code."),
    ROW("setup_restarted", "La clé précédente a expiré\u202f: scannez ce nouveau code QR.",
        "Der vorherige Schlüssel ist abgelaufen: Scannen Sie diesen neuen QR-Code.",
        "La chiave precedente è scaduta: scansioni questo nuovo codice QR.",
        "The previous key has expired: scan this new QR code."),
    ROW("setup_done", "L'authentification à 2 facteurs est maintenant liée à votre compte",
        "Die Zwei-Faktor-Authentifizierung ist jetzt mit Ihrem Konto verbunden",
        "L'autenticazione a 2 fattori è ora collegata al suo account",
        "Two-factor authentication is now linked to your account"),
    ROW("codes_title", "Codes de récupération", "Wiederherstellungscodes", "Codici di recupero",
        "Recovery codes"),
    ROW("codes_text",
        "Si vous perdez votre téléphone, chacun de ces codes remplace une fois le code de "
        "l'application. Conservez-les en lieu sûr\u202f: ils ne seront plus affichés.",
        "Wenn Sie Ihr Telefon verlieren, ersetzt jeder dieser Codes einmal den Code der App. "
        "Bewahren Sie sie sicher auf: Sie werden nicht mehr angezeigt.",
        "Se perde il telefono, ciascuno di questi codici sostituisce una volta il codice dell'app. "
        "Li conservi in un luogo sicuro: non verranno più mostrati.",
        "If you lose your phone, each of these codes replaces the app's code once. Keep them "
        "somewhere safe: they will not be shown again."),
    ROW("continue", "Continuer", "Weiter", "Continua", "Continue"),
    ROW("manage_active", "L'authentification à deux facteurs est activée pour votre compte.",
        "Die Zwei-Faktor-Authentifizierung ist für Ihr Konto aktiviert.",
        "L'autenticazione a due fattori è attiva per il suo account.",
        "Two-factor authentication is on for your account."),
    ROW("manage_codes_left",
        "Codes de récupération restants\u202f:", "Verbleibende Wiederherstellungscodes:",
        "Codici di recupero rimanenti:", "Recovery codes left:"),
    ROW("manage_codes_title", "Nouveaux codes de récupération", "Neue Wiederherstellungscodes",
        "Nuovi codici di recupero", "New recovery codes"),
    ROW("manage_codes_text",
        "Les anciens codes ne seront plus valables. Confirmez avec le code actuel de "
        "l'application.",
        "Die bisherigen Codes werden ungültig. Bestätigen Sie mit dem aktuellen Code der App.",
        "I codici precedenti non saranno più validi. Confermi con il codice attuale dell'app.",
        "The old codes will stop working. Confirm with the app's current code."),
    ROW("manage_codes_button", "Créer de nouveaux codes", "Neue Codes erstellen",
        "Creare nuovi codici", "Make new codes"),
    ROW("manage_off_title", "Désactiver", "Deaktivieren", "Disattivare", "Turn off"),
    ROW("manage_off_text",
        "Confirmez avec le code actuel de l'application ou un code de récupération.",
        "Bestätigen Sie mit dem aktuellen Code der App oder einem Wiederherstellungscode.",
        "Confermi con il codice attuale dell'app o con un codice di recupero.",
        "Confirm with the app's current code or a recovery code."),
    ROW("manage_off_label", "Code ou code de récupération", "Code oder Wiederherstellungscode",
        "Codice o codice di recupero", "Code or recovery code"),
    ROW("manage_off_button", "Désactiver l'authentification à deux facteurs",
        "Zwei-Faktor-Authentifizierung deaktivieren", "Disattivare l'autenticazione a due fattori",
        "Turn off two-factor authentication"),
    ROW("totp_off_done",
        "L'authentification à deux facteurs est désactivée. Votre compte n'est plus protégé que "
        "par le mot de passe.",
        "Die Zwei-Faktor-Authentifizierung ist deaktiviert. Ihr Konto ist nur noch durch das "
        "Passwort geschützt.",
        "L'autenticazione a due fattori è disattivata. Il suo account è protetto solo dalla "
        "password.",
        "Two-factor authentication is off. Your account is protected by the password alone."),
    ROW("codes_renewed",
        "Vos nouveaux codes de récupération sont prêts\u202f; les anciens ne sont plus valables.",
        "Ihre neuen Wiederherstellungscodes sind bereit; die bisherigen sind ungültig.",
        "I suoi nuovi codici di recupero sono pronti; quelli precedenti non sono più validi.",
        "Your new recovery codes are ready; the old ones no longer work."),
    ROW("twofactor_forbidden",
        "Votre organisation ne permet pas l'authentification à deux facteurs.",
        "Ihre Organisation erlaubt die Zwei-Faktor-Authentifizierung nicht.",
        "La sua organizzazione non consente l'autenticazione a due fattori.",
        "Your organisation does not allow two-factor authentication."),
    /* ---- portal (issue 7) ---- */
    ROW("back_to_app", "Retour à l'application", "Zurück zur Anwendung", "Torna all'applicazione",
        "Back to the application"),
    ROW("sec_login", "Connexion", "Anmeldung", "Accesso", "Sign-in"),
    ROW("email", "Adresse e-mail", "E-Mail-Adresse", "Indirizzo e-mail", "E-mail address"),
    ROW("session_started", "Session ouverte le", "Sitzung begonnen am", "Sessione aperta il",
        "Session started"),
    ROW("session_from", "Depuis", "Von", "Da", "From"),
    ROW("password_changed_at", "Mot de passe changé le", "Passwort geändert am",
        "Password cambiata il", "Password last changed"),
    ROW("never", "jamais", "nie", "mai", "never"),
    ROW("yes", "oui", "ja", "sì", "yes"),
    ROW("no", "non", "nein", "no", "no"),
    ROW("sec_password", "Mot de passe", "Passwort", "Password", "Password"),
    ROW("pw_current", "Mot de passe actuel", "Aktuelles Passwort", "Password attuale",
        "Current password"),
    ROW("pw_new", "Nouveau mot de passe", "Neues Passwort", "Nuova password", "New password"),
    ROW("pw_confirm", "Confirmer le nouveau mot de passe", "Neues Passwort bestätigen",
        "Confermare la nuova password", "Confirm the new password"),
    ROW("pw_hint_before", "Au moins", "Mindestens", "Almeno", "At least"),
    ROW("pw_hint_after",
        "caractères. Tous les caractères sont permis\u202f; votre nom d'utilisateur et votre "
        "adresse e-mail ne doivent pas y figurer.",
        "Zeichen. Alle Zeichen sind erlaubt; Ihr Benutzername und Ihre E-Mail-Adresse dürfen "
        "nicht darin vorkommen.",
        "caratteri. Tutti i caratteri sono ammessi; il nome utente e l'indirizzo e-mail non "
        "devono comparirvi.",
        "characters. Any character is allowed; your user name and e-mail address must not "
        "appear in it."),
    ROW("pw_submit", "Changer le mot de passe", "Passwort ändern", "Cambiare la password",
        "Change the password"),
    ROW("sec_2fa", "Authentification à deux facteurs", "Zwei-Faktor-Authentifizierung",
        "Autenticazione a due fattori", "Two-factor authentication"),
    ROW("tf_on", "activée", "aktiviert", "attivata", "on"),
    ROW("tf_off", "désactivée", "deaktiviert", "disattivata", "off"),
    ROW("tf_intro",
        "À chaque connexion, un code à usage unique d'une application comme Google "
        "Authenticator est demandé en plus du mot de passe.",
        "Bei jeder Anmeldung wird zusätzlich zum Passwort ein Einmalcode aus einer App wie "
        "Google Authenticator verlangt.",
        "A ogni accesso, oltre alla password, viene chiesto un codice monouso di un'app come "
        "Google Authenticator.",
        "Every sign-in asks for a one-time code from an app such as Google Authenticator, in "
        "addition to the password."),
    ROW("tf_forbidden", "Votre organisation ne permet pas l'authentification à deux facteurs.",
        "Ihre Organisation lässt die Zwei-Faktor-Authentifizierung nicht zu.",
        "La sua organizzazione non consente l'autenticazione a due fattori.",
        "Your organisation does not allow two-factor authentication."),
    ROW("tf_required", "Votre organisation exige l'authentification à deux facteurs.",
        "Ihre Organisation verlangt die Zwei-Faktor-Authentifizierung.",
        "La sua organizzazione richiede l'autenticazione a due fattori.",
        "Your organisation requires two-factor authentication."),
    ROW("tf_codes_left",
        "Codes de récupération inutilisés\u202f:", "Unbenutzte Wiederherstellungscodes:",
        "Codici di recupero non utilizzati:", "Unused recovery codes:"),
    ROW("sec_apps", "Applications", "Anwendungen", "Applicazioni", "Your applications"),
    ROW("apps_none", "Aucune application ne vous est attribuée.",
        "Ihnen ist keine Anwendung zugewiesen.", "Non le è assegnata nessuna applicazione.",
        "No application is assigned to you."),
    ROW("sec_history", "Connexions récentes", "Letzte Anmeldungen", "Accessi recenti",
        "Recent sign-ins"),
    ROW("history_none", "Aucune connexion enregistrée.", "Keine Anmeldungen verzeichnet.",
        "Nessun accesso registrato.", "No sign-in recorded."),
    ROW("history_newest", "Les plus récentes", "Neueste", "I più recenti", "Newest"),
    ROW("history_older", "Connexions plus anciennes", "Ältere Anmeldungen", "Accessi meno recenti",
        "Older sign-ins"),
    ROW("address", "Adresse IP", "IP-Adresse", "Indirizzo IP", "IP address"),
    ROW("ev_ok", "Connexion réussie", "Anmeldung erfolgreich", "Accesso riuscito", "Signed in"),
    ROW("ev_password_changed", "Mot de passe changé", "Passwort geändert", "Password cambiata",
        "Password changed"),
    ROW("ev_ok_totp", "Connexion réussie, avec code", "Anmeldung erfolgreich, mit Code",
        "Accesso riuscito, con codice", "Signed in with a code"),
    ROW("ev_ok_recovery", "Connexion réussie, avec un code de récupération",
        "Anmeldung erfolgreich, mit einem Wiederherstellungscode",
        "Accesso riuscito, con un codice di recupero", "Signed in with a recovery code"),
    ROW("ev_totp_enabled", "Authentification à deux facteurs activée",
        "Zwei-Faktor-Authentifizierung aktiviert", "Autenticazione a due fattori attivata",
        "Two-factor authentication turned on"),
    ROW("ev_totp_disabled", "Authentification à deux facteurs désactivée",
        "Zwei-Faktor-Authentifizierung deaktiviert", "Autenticazione a due fattori disattivata",
        "Two-factor authentication turned off"),
    ROW("ev_totp_reset", "Authentification à deux facteurs réinitialisée par l'administration",
        "Zwei-Faktor-Authentifizierung von der Administration zurückgesetzt",
        "Autenticazione a due fattori reimpostata dall'amministrazione",
        "Two-factor authentication reset by an administrator"),
    ROW("ev_recovery_renewed", "Nouveaux codes de récupération", "Neue Wiederherstellungscodes",
        "Nuovi codici di recupero", "New recovery codes"),
    ROW("ev_bad_password", "Échec\u202f: mot de passe erroné", "Fehlgeschlagen: falsches Passwort",
        "Non riuscito: password errata", "Failed: wrong password"),
    ROW("ev_bad_current_password",
        "Échec\u202f: mot de passe actuel erroné (changement du mot de passe)",
        "Fehlgeschlagen: falsches aktuelles Passwort (Passwortänderung)",
        "Non riuscito: password attuale errata (cambio della password)",
        "Failed: wrong current password (password change)"),
    ROW("ev_bad_code", "Échec\u202f: code erroné", "Fehlgeschlagen: falscher Code",
        "Non riuscito: codice errato", "Failed: wrong code"),
    ROW("ev_bad_hash", "Échec\u202f: mot de passe enregistré inutilisable",
        "Fehlgeschlagen: gespeichertes Passwort unbrauchbar",
        "Non riuscito: password registrata inutilizzabile", "Failed: stored password unusable"),
    ROW("ev_throttled", "Refusée\u202f: trop de tentatives", "Abgelehnt: zu viele Versuche",
        "Rifiutato: troppi tentativi", "Refused: too many attempts"),
    ROW("ev_disabled", "Refusée\u202f: compte désactivé", "Abgelehnt: Konto deaktiviert",
        "Rifiutato: account disattivato", "Refused: account disabled"),
    ROW("sec_sessions", "Sessions ouvertes", "Offene Sitzungen", "Sessioni aperte",
        "Open sessions"),
    ROW("s_this", "Cette session", "Diese Sitzung", "Questa sessione", "This session"),
    ROW("s_started", "Ouverte le", "Begonnen am", "Aperta il", "Started"),
    ROW("s_last_seen", "Dernière activité le", "Letzte Aktivität am", "Ultima attività il",
        "Last active"),
    ROW("s_end", "Déconnecter", "Abmelden", "Disconnetti", "Sign out"),
    ROW("s_end_others", "Déconnecter toutes les autres sessions", "Alle anderen Sitzungen abmelden",
        "Disconnetti tutte le altre sessioni", "Sign out all other sessions"),
    ROW("s_no_others", "Aucune autre session n'est ouverte.", "Keine andere Sitzung ist offen.",
        "Nessun'altra sessione è aperta.", "No other session is open."),
    ROW("pw_changed",
        "Votre mot de passe a été changé. Vos autres sessions ont été fermées\u202f; celle-ci "
        "reste ouverte.",
        "Ihr Passwort wurde geändert. Ihre anderen Sitzungen wurden beendet; diese bleibt offen.",
        "La password è stata cambiata. Le altre sessioni sono state chiuse; questa resta aperta.",
        "Your password has been changed. Your other sessions have been signed out; this one "
        "stays open."),
    ROW("pw_fields_missing",
        "Remplissez les trois champs\u202f: mot de passe actuel, nouveau mot de passe et "
        "confirmation.",
        "Füllen Sie alle drei Felder aus: aktuelles Passwort, neues Passwort und Bestätigung.",
        "Compili i tre campi: password attuale, nuova password e conferma.",
        "Fill in all three fields: current password, new password and confirmation."),
    ROW("pw_mismatch", "La confirmation ne correspond pas au nouveau mot de passe.",
        "Die Bestätigung stimmt nicht mit dem neuen Passwort überein.",
        "La conferma non corrisponde alla nuova password.",
        "The confirmation does not match the new password."),
    ROW("pw_too_short_min",
        "Le nouveau mot de passe est trop court\u202f: il faut au moins {{min}} caractères.",
        "Das neue Passwort ist zu kurz: Es braucht mindestens {{min}} Zeichen.",
        "La nuova password è troppo corta: servono almeno {{min}} caratteri.",
        "The new password is too short: it needs at least {{min}} characters."),
    ROW("pw_too_long_max",
        "Le nouveau mot de passe est trop long\u202f: il peut compter au plus {{max}} caractères.",
        "Das neue Passwort ist zu lang: Es darf höchstens {{max}} Zeichen haben.",
        "La nuova password è troppo lunga: può avere al massimo {{max}} caratteri.",
        "The new password is too long: it may have at most {{max}} characters."),
    ROW("pw_current_wrong",
        "Le mot de passe actuel est incorrect. Après plusieurs erreurs, le compte est bloqué "
        "pendant quelques minutes.",
        "Das aktuelle Passwort ist falsch. Nach mehreren Fehlern wird das Konto für einige "
        "Minuten gesperrt.",
        "La password attuale è errata. Dopo diversi errori, l'account viene bloccato per alcuni "
        "minuti.",
        "The current password is wrong. After several mistakes, the account is locked for a "
        "few minutes."),
    ROW("pw_throttled",
        "Trop de tentatives erronées\u202f: le compte est bloqué pendant quelques minutes. Le mot "
        "de passe n'a pas été changé.",
        "Zu viele Fehlversuche: Das Konto ist für einige Minuten gesperrt. Das Passwort wurde "
        "nicht geändert.",
        "Troppi tentativi errati: l'account è bloccato per alcuni minuti. La password non è "
        "stata cambiata.",
        "Too many failed attempts: the account is locked for a few minutes. The password was "
        "not changed."),
    ROW("pw_account_gone", "Votre compte a changé entre-temps. Veuillez vous reconnecter.",
        "Ihr Konto wurde inzwischen geändert. Bitte melden Sie sich erneut an.",
        "Il suo account è stato modificato nel frattempo. Acceda di nuovo.",
        "Your account has changed in the meantime. Please sign in again."),
    ROW("session_ended", "La session a été fermée.", "Die Sitzung wurde beendet.",
        "La sessione è stata chiusa.", "The session has been signed out."),
    ROW("session_unknown", "Cette session n'est plus ouverte.",
        "Diese Sitzung ist nicht mehr offen.", "Questa sessione non è più aperta.",
        "That session is no longer open."),
    ROW("others_ended", "Toutes vos autres sessions ont été fermées.",
        "Alle Ihre anderen Sitzungen wurden beendet.", "Tutte le altre sessioni sono state chiuse.",
        "All your other sessions have been signed out."),
    ROW("bad_request_text", "La requête n'est pas valable.", "Die Anfrage ist ungültig.",
        "La richiesta non è valida.", "The request is not valid."),
    /* pages that feel finished (issue 10) */
    ROW("unavailable_text",
        "Le service est momentanément indisponible. Veuillez réessayer dans 30 secondes.",
        "Der Dienst ist vorübergehend nicht verfügbar. Bitte versuchen Sie es in 30 Sekunden "
        "erneut.",
        "Il servizio è momentaneamente non disponibile. Riprovi tra 30 secondi.",
        "The service is temporarily unavailable. Please try again in 30 seconds."),
    ROW("retry", "Réessayer", "Erneut versuchen", "Riprova", "Try again"),
    ROW("continue_app", "Continuer vers l'application", "Weiter zur Anwendung",
        "Continuare verso l'applicazione", "Continue to the application"),
    ROW("back_home", "Retour à l'accueil", "Zurück zur Startseite", "Torna alla pagina iniziale",
        "Back to the home page"),
    ROW("error_title", "Une erreur est survenue", "Ein Fehler ist aufgetreten",
        "Si è verificato un errore", "Something went wrong"),
    ROW("error_text", "La demande n'a pas pu aboutir. Veuillez réessayer plus tard.",
        "Die Anfrage konnte nicht ausgeführt werden. Bitte versuchen Sie es später erneut.",
        "La richiesta non è andata a buon fine. Riprovi più tardi.",
        "The request could not be completed. Please try again later."),
    ROW("not_found_text", "L'adresse demandée n'existe pas. Vérifiez-la ou repartez de l'accueil.",
        "Die angeforderte Adresse existiert nicht. Prüfen Sie sie oder beginnen Sie auf der "
        "Startseite.",
        "L'indirizzo richiesto non esiste. Lo verifichi o riparta dalla pagina iniziale.",
        "The address you asked for does not exist. Check it or start again from the home page."),
    ROW("forbidden_text", "Vous n'avez pas accès à cette page.",
        "Sie haben keinen Zugriff auf diese Seite.", "Non ha accesso a questa pagina.",
        "You do not have access to this page."),
    ROW("method_title", "Action non prise en charge", "Aktion nicht unterstützt",
        "Azione non supportata", "Action not supported"),
    ROW("too_large_title", "Données trop volumineuses", "Daten zu umfangreich",
        "Dati troppo voluminosi", "Data too large"),
    ROW("too_many_title", "Trop de demandes", "Zu viele Anfragen", "Troppe richieste",
        "Too many requests"),
    ROW("too_many_text", "Trop de demandes en peu de temps. Veuillez patienter un moment.",
        "Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment.",
        "Troppe richieste in poco tempo. Attenda un momento.",
        "Too many requests in a short time. Please wait a moment."),
    ROW("csrf_expired", "Le formulaire avait expiré. Veuillez saisir à nouveau votre mot de passe.",
        "Das Formular war abgelaufen. Bitte geben Sie Ihr Passwort erneut ein.",
        "Il modulo era scaduto. Inserisca di nuovo la password.",
        "The form had expired. Please enter your password again."),
    ROW("signed_in_title", "Vous êtes connecté", "Sie sind angemeldet", "È connesso",
        "You are signed in"),
    ROW("remember_hint", "{{days}} jours\u202f; pas sur un ordinateur partagé",
        "{{days}} Tage; nicht auf einem gemeinsam genutzten Computer",
        "{{days}} giorni; non su un computer condiviso", "{{days}} days; not on a shared computer"),
    ROW("show_password", "Afficher le mot de passe", "Passwort anzeigen", "Mostra la password",
        "Show password"),
    ROW("caps_lock", "La touche Verr. Maj. est activée.", "Die Feststelltaste ist aktiviert.",
        "Il blocco maiuscole è attivo.", "Caps Lock is on."),
    ROW("language", "Langue", "Sprache", "Lingua", "Language"),
    ROW("other_account", "Se connecter avec un autre compte", "Mit einem anderen Konto anmelden",
        "Accedere con un altro account", "Sign in with another account"),
    /* ---- password reset by e-mail (issue 9): pages ---- */
    ROW("forgot_title", "Mot de passe oublié", "Passwort vergessen", "Password dimenticata",
        "Forgotten password"),
    ROW("forgot_intro",
        "Indiquez votre nom d'utilisateur ou votre adresse e-mail\u202f: vous recevrez un lien "
        "pour choisir un nouveau mot de passe.",
        "Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein: Sie erhalten einen Link, "
        "um ein neues Passwort zu wählen.",
        "Indichi il suo nome utente o il suo indirizzo e-mail: riceverà un link per scegliere "
        "una nuova password.",
        "Enter your user name or e-mail address: you will receive a link to choose a new "
        "password."),
    ROW("forgot_username", "Nom d'utilisateur ou adresse e-mail",
        "Benutzername oder E-Mail-Adresse", "Nome utente o indirizzo e-mail",
        "User name or e-mail address"),
    ROW("forgot_submit", "Envoyer le lien", "Link senden", "Inviare il link", "Send the link"),
    ROW("forgot_sent",
        "Si un compte correspond, un e-mail a été envoyé. Il contient un lien et un code "
        "valables pendant peu de temps.",
        "Falls ein Konto passt, wurde eine E-Mail gesendet. Sie enthält einen Link und einen "
        "Code, die kurze Zeit gültig sind.",
        "Se un account corrisponde, è stata inviata un'e-mail. Contiene un link e un codice "
        "validi per poco tempo.",
        "If an account matches, an e-mail has been sent. It holds a link and a code that are "
        "valid for a short time."),
    ROW("forgot_have_code", "J'ai reçu un code", "Ich habe einen Code erhalten",
        "Ho ricevuto un codice", "I have a code"),
    ROW("reset_title", "Nouveau mot de passe", "Neues Passwort", "Nuova password", "New password"),
    ROW("reset_intro", "Choisissez un nouveau mot de passe pour le compte",
        "Wählen Sie ein neues Passwort für das Konto", "Scelga una nuova password per l'account",
        "Choose a new password for the account"),
    ROW("reset_code_intro",
        "Saisissez votre nom d'utilisateur (ou adresse e-mail) et le code à 8 chiffres reçu par "
        "e-mail.",
        "Geben Sie Ihren Benutzernamen (oder Ihre E-Mail-Adresse) und den 8-stelligen Code aus "
        "der E-Mail ein.",
        "Inserisca il suo nome utente (o indirizzo e-mail) e il codice a 8 cifre ricevuto per "
        "e-mail.",
        "Enter your user name (or e-mail address) and the 8-digit code from the e-mail."),
    ROW("reset_mailcode", "Code reçu par e-mail", "Code aus der E-Mail",
        "Codice ricevuto per e-mail", "Code from the e-mail"),
    ROW("reset_continue", "Continuer", "Weiter", "Continuare", "Continue"),
    ROW("reset_second_factor",
        "Votre compte est protégé par un second facteur\u202f: saisissez le code de votre "
        "application (ou un code de récupération).",
        "Ihr Konto ist mit einem zweiten Faktor geschützt: Geben Sie den Code Ihrer App (oder "
        "einen Wiederherstellungscode) ein.",
        "Il suo account è protetto da un secondo fattore: inserisca il codice della sua app (o "
        "un codice di recupero).",
        "Your account is protected by a second factor: enter the code of your app (or a "
        "recovery code)."),
    ROW("reset_second_label", "Code de l'application ou de récupération",
        "Code der App oder Wiederherstellungscode", "Codice dell'app o di recupero",
        "App code or recovery code"),
    ROW("reset_submit", "Enregistrer le mot de passe", "Passwort speichern", "Salvare la password",
        "Save the password"),
    ROW("reset_done",
        "Votre mot de passe a été changé. Toutes vos sessions ont été fermées\u202f: "
        "connectez-vous "
        "avec le nouveau mot de passe.",
        "Ihr Passwort wurde geändert. Alle Ihre Sitzungen wurden beendet: Melden Sie sich mit dem "
        "neuen Passwort an.",
        "La sua password è stata cambiata. Tutte le sue sessioni sono state chiuse: acceda con la "
        "nuova password.",
        "Your password has been changed. All your sessions have been ended: sign in with the new "
        "password."),
    ROW("reset_invalid_title", "Lien non valable", "Link ungültig", "Link non valido",
        "Link not valid"),
    ROW("reset_invalid",
        "Ce lien ou ce code n'est pas valable\u202f: il a expiré, a déjà servi ou a été remplacé "
        "par une demande plus récente.",
        "Dieser Link oder Code ist ungültig: Er ist abgelaufen, wurde schon verwendet oder durch "
        "eine neuere Anfrage ersetzt.",
        "Questo link o codice non è valido: è scaduto, è già stato usato o è stato sostituito da "
        "una richiesta più recente.",
        "This link or code is not valid: it has expired, was used already or was replaced by a "
        "newer request."),
    ROW("reset_ask_again", "Demander un nouveau lien", "Einen neuen Link anfordern",
        "Richiedere un nuovo link", "Ask for a new link"),
    ROW("reset_code_needed", "Saisissez le code de votre application ou un code de récupération.",
        "Geben Sie den Code Ihrer App oder einen Wiederherstellungscode ein.",
        "Inserisca il codice della sua app o un codice di recupero.",
        "Enter the code of your app or a recovery code."),
    ROW("reset_code_wrong", "Ce code n'est pas valable. Le nombre d'essais est limité.",
        "Dieser Code ist ungültig. Die Zahl der Versuche ist begrenzt.",
        "Questo codice non è valido. Il numero di tentativi è limitato.",
        "This code is not valid. The number of tries is limited."),
    ROW("ev_reset_requested", "Réinitialisation du mot de passe demandée",
        "Zurücksetzen des Passworts angefordert", "Reimpostazione della password richiesta",
        "Password reset requested"),
    ROW("ev_password_reset", "Mot de passe réinitialisé par e-mail",
        "Passwort per E-Mail zurückgesetzt", "Password reimpostata via e-mail",
        "Password reset by e-mail"),
    /* ---- mails (core/notice.c) ---- */
    ROW("mail_greeting", "Bonjour", "Guten Tag", "Buongiorno", "Hello"),
    ROW("mail_link_intro", "Pour choisir un nouveau mot de passe, ouvrez ce lien\u202f:",
        "Um ein neues Passwort zu wählen, öffnen Sie diesen Link:",
        "Per scegliere una nuova password, apra questo link:",
        "To choose a new password, open this link:"),
    ROW("mail_code_intro", "Ou, depuis un autre appareil, saisissez ce code sur la page",
        "Oder geben Sie auf einem anderen Gerät diesen Code ein, auf der Seite",
        "Oppure, da un altro dispositivo, inserisca questo codice alla pagina",
        "Or, from another device, enter this code on the page"),
    ROW("mail_valid_for", "Le lien et le code servent une seule fois, pendant",
        "Link und Code gelten einmal, während", "Il link e il codice valgono una sola volta, per",
        "The link and the code work once, for"),
    ROW("mail_ignore",
        "Si vous n'avez rien demandé, ignorez ce message\u202f: votre mot de passe ne change pas.",
        "Falls Sie nichts angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt.",
        "Se non ha chiesto nulla, ignori questo messaggio: la sua password non cambia.",
        "If you did not ask for this, ignore this message: your password stays as it is."),
    ROW("mail_when", "Quand\u202f:", "Wann:", "Quando:", "When:"),
    ROW("mail_from_address", "Adresse\u202f:", "Adresse:", "Indirizzo:", "Address:"),
    ROW("mail_browser", "Navigateur\u202f:", "Browser:", "Browser:", "Browser:"),
    ROW("mail_by_admin", "Par\u202f: l'administration (seances-admin)",
        "Durch: die Administration (seances-admin)", "Da: l'amministrazione (seances-admin)",
        "By: the administrators (seances-admin)"),
    ROW("mail_not_you",
        "Si ce n'était pas vous, changez votre mot de passe et contactez l'administration.",
        "Falls Sie das nicht waren, ändern Sie Ihr Passwort und wenden Sie sich an die "
        "Administration.",
        "Se non è stato lei, cambi la password e contatti l'amministrazione.",
        "If this was not you, change your password and contact the administrators."),
    ROW("mail_reset_subject", "Réinitialisation du mot de passe", "Passwort zurücksetzen",
        "Reimpostazione della password", "Password reset"),
    ROW("mail_reset_text", "Une réinitialisation du mot de passe a été demandée pour votre compte.",
        "Für Ihr Konto wurde das Zurücksetzen des Passworts angefordert.",
        "È stata chiesta la reimpostazione della password del suo account.",
        "A password reset was asked for your account."),
    ROW("mail_password_changed_subject", "Mot de passe changé", "Passwort geändert",
        "Password cambiata", "Password changed"),
    ROW("mail_password_changed_text", "Le mot de passe de votre compte a été changé.",
        "Das Passwort Ihres Kontos wurde geändert.",
        "La password del suo account è stata cambiata.",
        "The password of your account was changed."),
    ROW("mail_totp_on_subject", "Second facteur activé", "Zweiter Faktor aktiviert",
        "Secondo fattore attivato", "Second factor turned on"),
    ROW("mail_totp_on_text", "L'authentification à deux facteurs a été activée sur votre compte.",
        "Die Zwei-Faktor-Authentifizierung wurde für Ihr Konto aktiviert.",
        "L'autenticazione a due fattori è stata attivata sul suo account.",
        "Two-factor authentication was turned on for your account."),
    ROW("mail_totp_off_subject", "Second facteur désactivé", "Zweiter Faktor deaktiviert",
        "Secondo fattore disattivato", "Second factor turned off"),
    ROW("mail_totp_off_text",
        "L'authentification à deux facteurs a été désactivée sur votre compte.",
        "Die Zwei-Faktor-Authentifizierung wurde für Ihr Konto deaktiviert.",
        "L'autenticazione a due fattori è stata disattivata sul suo account.",
        "Two-factor authentication was turned off for your account."),
    ROW("mail_codes_renewed_subject", "Nouveaux codes de récupération",
        "Neue Wiederherstellungscodes", "Nuovi codici di recupero", "New recovery codes"),
    ROW("mail_codes_renewed_text",
        "De nouveaux codes de récupération ont été créés\u202f; les anciens ne valent plus.",
        "Neue Wiederherstellungscodes wurden erstellt; die alten gelten nicht mehr.",
        "Sono stati creati nuovi codici di recupero; quelli vecchi non valgono più.",
        "New recovery codes were made; the old ones no longer work."),
    ROW("mail_recovery_used_subject", "Code de récupération utilisé",
        "Wiederherstellungscode verwendet", "Codice di recupero usato", "Recovery code used"),
    ROW("mail_recovery_used_text", "Un code de récupération de votre compte a été utilisé.",
        "Ein Wiederherstellungscode Ihres Kontos wurde verwendet.",
        "È stato usato un codice di recupero del suo account.",
        "A recovery code of your account was used."),
    ROW("mail_new_login_subject", "Nouvelle connexion", "Neue Anmeldung", "Nuovo accesso",
        "New sign-in"),
    ROW("mail_new_login_text",
        "Une connexion à votre compte a eu lieu depuis un navigateur et une adresse inconnus "
        "jusqu'ici.",
        "Ihr Konto wurde von einem bisher unbekannten Browser und einer unbekannten Adresse aus "
        "angemeldet.",
        "È avvenuto un accesso al suo account da un browser e un indirizzo finora sconosciuti.",
        "Your account was signed in from a browser and an address not seen before."),
    ROW("mail_totp_reset_subject", "Second facteur réinitialisé", "Zweiter Faktor zurückgesetzt",
        "Secondo fattore reimpostato", "Second factor reset"),
    ROW("mail_totp_reset_text",
        "L'authentification à deux facteurs de votre compte a été réinitialisée\u202f: les codes "
        "de "
        "votre application et vos codes de récupération ne valent plus.",
        "Die Zwei-Faktor-Authentifizierung Ihres Kontos wurde zurückgesetzt: die Codes Ihrer App "
        "und Ihre Wiederherstellungscodes gelten nicht mehr.",
        "L'autenticazione a due fattori del suo account è stata reimpostata: i codici della sua "
        "app e i codici di recupero non valgono più.",
        "Two-factor authentication was reset for your account: the codes of your app and your "
        "recovery codes no longer work."),
};

#define CATALOG_SIZE (sizeof(catalog) / sizeof(catalog[0]))

static const char *const lang_codes[SA_LANG_COUNT] = {"fr", "de", "it", "en"};

int sa_lang_from_code(const char *code, sa_lang *out)
{
    if (!code) {
        return -1;
    }
    for (int i = 0; i < SA_LANG_COUNT; i++) {
        if (strcasecmp(code, lang_codes[i]) == 0) {
            *out = (sa_lang)i;
            return 0;
        }
    }
    return -1;
}

const char *sa_lang_code(sa_lang lang)
{
    return ((unsigned)lang < SA_LANG_COUNT) ? lang_codes[lang] : lang_codes[SA_LANG_FR];
}

static const char *row_text(const sa_msg_row *row, sa_lang lang)
{
    const char *text = ((unsigned)lang < SA_LANG_COUNT) ? row->text[lang] : NULL;
    return text ? text : row->text[SA_LANG_FR];
}

const char *sa_msg(sa_lang lang, const char *key)
{
    if (!key) {
        return "";
    }
    for (size_t i = 0; i < CATALOG_SIZE; i++) {
        if (strcmp(catalog[i].tkey + 2, key) == 0) {
            return row_text(&catalog[i], lang);
        }
    }
    return key;
}

void sa_i18n_fill(apr_table_t *vars, sa_lang lang)
{
    /* The texts and names are static, so the table may keep pointers to them. */
    for (size_t i = 0; i < CATALOG_SIZE; i++) {
        apr_table_setn(vars, catalog[i].tkey, row_text(&catalog[i], lang));
    }
}
