/* The SMTP backend of the mailer (libesmtp): SeancesSMTPServer, STARTTLS off, when offered or
 * required (with the server's certificate verified against the system's CAs, or those of
 * SeancesSMTPCACertificate, and its name), AUTH with a user and a password. */
#ifndef MAIL_SMTP_H
#define MAIL_SMTP_H

#include "mail/mailer.h"

typedef enum { MAIL_TLS_OFF = 0, MAIL_TLS_ON = 1, MAIL_TLS_REQUIRED = 2 } mail_tls_mode;

typedef struct {
    const char *server; /* host:port (port 25 when none is given) */
    mail_tls_mode starttls;
    const char *user;     /* AUTH, or NULL */
    const char *password; /* read from the password file at start-up */
    apr_interval_time_t timeout;
    const char *ca_file; /* PEM certificate authorities, or NULL for the system's */
    void *tls_ctx;       /* made by mail_smtp_prepare */
} mail_smtp_conf;

extern const mail_backend mail_smtp_backend;

/* Makes what every send of this configuration shares (the TLS context), freed with pool (the
 * configuration's, so that a restart does not keep the old one); APR_EGENERAL with *why when
 * it cannot. Once per configuration pass, before the first send. */
apr_status_t mail_smtp_prepare(mail_smtp_conf *conf, apr_pool_t *pool, const char **why);

/* APR_SUCCESS when path holds at least one PEM certificate, else *why says what is wrong. */
apr_status_t mail_smtp_check_ca(const char *path, const char **why);

#endif
