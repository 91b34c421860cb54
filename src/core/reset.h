/* Password reset by e-mail: the request (a token of 256 bits from the CSPRNG and a short code,
 * only their digests stored, one live token per account), finding a token again (by the link,
 * or by the account and the short code typed on another device), and setting the new password
 * (the portal's policy, the second factor first for a user with 2FA, every session ended).
 * Mailing the token is the caller's: this file never sends anything. */
#ifndef SA_RESET_H
#define SA_RESET_H

#include <apr_pools.h>
#include <apr_hash.h>

#include "core/argon2.h"
#include "core/seal.h"
#include "store/db.h"
#include "store/reset.h"
#include "store/users.h"

#define SA_RESET_TOKEN_BYTES 32 /* 256 bits */
#define SA_RESET_TOKEN_MAX 64   /* characters accepted in the token field */
#define SA_RESET_CODE_DIGITS 8
#define SA_RESET_MAX_TRIES 5 /* wrong codes (mail code or 2FA code) before a token dies */

typedef struct {
    int account;        /* mails per account in a window */
    int address;        /* requests per client address in a window */
    apr_int64_t window; /* seconds */
} sa_reset_limits;

typedef struct {
    const char *typed; /* user name or e-mail address, as typed */
    const char *ip;
    const char *user_agent;
    apr_time_t now;
    apr_int64_t lifetime; /* seconds a token lives */
    const sa_reset_limits *limits;
} sa_reset_request;

typedef enum {
    SA_RESET_ISSUED = 0, /* *issue holds the account, the token and the code to mail */
    SA_RESET_UNKNOWN,    /* no such account */
    SA_RESET_AMBIGUOUS,  /* an address that several accounts share */
    SA_RESET_DISABLED,   /* a disabled account gets no mail */
    SA_RESET_NO_EMAIL,   /* the account has no address */
    SA_RESET_THROTTLED,  /* too many requests for the account or from the address */
    SA_RESET_DB_ERROR
} sa_reset_outcome;

typedef struct {
    sa_user *user;
    const char *token; /* in clear, for the link: never stored nor logged */
    const char *code;  /* the short code, in clear, for the mail */
    apr_int64_t expires;
} sa_reset_issue;

/* Counts the request against both limits, finds the account, and on success replaces any
 * older token of the account by a new one. Every outcome does comparable database work, so
 * that the answer's time says nothing about the account. */
sa_reset_outcome sa_reset_request_token(sa_db *db, apr_pool_t *p, const sa_reset_request *rq,
                                        sa_reset_issue *issue);

typedef enum { SA_RESET_LIVE = 0, SA_RESET_DEAD, SA_RESET_FIND_DB_ERROR } sa_reset_state;

typedef struct {
    sa_reset_row *row;
    sa_user *user;
} sa_reset_found;

/* The live token (not used, not expired, tries left) of this link's token, and its account. */
sa_reset_state sa_reset_find_token(sa_db *db, apr_pool_t *p, const char *token, apr_int64_t now,
                                   sa_reset_found *out);

/* The live token of the account named (name or address) whose short code this is; a wrong
 * code counts a try against the account's token. */
sa_reset_state sa_reset_find_code(sa_db *db, apr_pool_t *p, const char *typed, const char *code,
                                  apr_int64_t now, sa_reset_found *out);

typedef struct {
    const sa_reset_found *found;
    const char *new_password;
    const char *confirm;
    const char *second; /* the TOTP or recovery code of a user with 2FA */
    const char *ip;
    const char *user_agent;
    apr_time_t now;
    const sa_argon2_params *argon2;
    int min_length;
    apr_hash_t *blocklist;
    const sa_seal_keys *keys; /* for the TOTP secret */
} sa_reset_completion;

typedef enum {
    SA_RESET_DONE = 0,    /* the password is set, every session ended, the token used */
    SA_RESET_REFUSED,     /* *key says why; the token stays (with one try less on a wrong code) */
    SA_RESET_GONE,        /* the token died meanwhile (used, expired, out of tries) */
    SA_RESET_SET_DB_ERROR /* nothing changed */
} sa_reset_result;

/* Checks the form and the second factor, then in one transaction uses the token, sets the
 * password, ends every session of the user (*ended: their id hashes), removes the account's
 * other tokens and records "password_reset". *factor: "totp" or "recovery" when a second
 * factor was given, else NULL. */
sa_reset_result sa_reset_complete(sa_db *db, apr_pool_t *p, const sa_reset_completion *c,
                                  const char **key, const char **factor,
                                  apr_array_header_t **ended);

/* 1 when s looks like a token of ours (base64url, 1..SA_RESET_TOKEN_MAX characters). */
int sa_reset_token_syntax(const char *s);

#endif
