/* The directive table of mod_seances_auth (cfg/directives.c) and what the merge needs. */
#ifndef CFG_DIRECTIVES_H
#define CFG_DIRECTIVES_H

#include "httpd.h"
#include "http_config.h"
#include "cfg/config.h"

/* The directive names, spelled once: messages and checks use these symbols. */
#define CFG_APP "SeancesApp"
#define CFG_BASE_URL "SeancesBaseURL"
#define CFG_COOKIE_NAME "SeancesCookieName"
#define CFG_CRYPTO_CIPHER "SeancesCryptoCipher"
#define CFG_CRYPTO_PASSPHRASE "SeancesCryptoPassphrase"
#define CFG_CRYPTO_PASSPHRASE_FILE "SeancesCryptoPassphraseFile"
#define CFG_ISSUER "SeancesIssuer"
#define CFG_LANGUAGE "SeancesLanguage"
#define CFG_LOCKOUT "SeancesLockout"
#define CFG_LOGIN_URL "SeancesLoginURL"
#define CFG_ORGANISATION "SeancesOrganisation"
#define CFG_PASS_HEADERS "SeancesPassHeaders"
#define CFG_COOKIE_REMOVE "SeancesCookieRemove"
#define CFG_CACHE_CONTROL "SeancesCacheControl"
#define CFG_PASSWORD_BLOCKLIST "SeancesPasswordBlocklist"
#define CFG_PASSWORD_MIN_LENGTH "SeancesPasswordMinLength"
#define CFG_PORTAL_URL "SeancesPortalURL"
#define CFG_RETENTION "SeancesRetention"
#define CFG_HOUSEKEEPING "SeancesHousekeeping"
#define CFG_DATABASE_WAIT "SeancesDatabaseWait"
#define CFG_HASH_CONCURRENCY "SeancesHashConcurrency"
#define CFG_REMEMBER_ME "SeancesRememberMe"
#define CFG_SMTP_AUTH "SeancesSMTPAuth"
#define CFG_SMTP_CA "SeancesSMTPCACertificate"
#define CFG_SMTP_FROM "SeancesSMTPFrom"
#define CFG_SMTP_SERVER "SeancesSMTPServer"
#define CFG_SMTP_START_TLS "SeancesSMTPStartTLS"
#define CFG_SESSION_CACHE "SeancesSessionCache"
#define CFG_SESSION_RECHECK "SeancesSessionRecheck"
#define CFG_SESSION_IDLE "SeancesSessionIdle"
#define CFG_SESSION_MAX "SeancesSessionMax"
#define CFG_TEMPLATE_DIR "SeancesTemplateDir"
#define CFG_TWO_FACTOR "SeancesTwoFactor"
#define CFG_TWO_FACTOR_URL "SeancesTwoFactorURL"
/* portal */
#define CFG_TIME_ZONE "SeancesTimeZone"
/* password reset and mail */
#define CFG_RESET_EXPIRY "SeancesResetExpiry"
#define CFG_RESET_LIMIT "SeancesResetLimit"
#define CFG_SMTP_TIMEOUT "SeancesSMTPTimeout"
#define CFG_NOTIFY_NEW_LOGIN "SeancesNotifyNewLogin"

extern const command_rec cfg_commands[];

/* Recomputes the registry key and the CSRF key after a passphrase or the cipher changed. */
void cfg_crypto_spec_finish(apr_pool_t *p, cfg_crypto_spec *spec);

#endif
