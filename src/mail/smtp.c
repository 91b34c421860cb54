/* SMTP through libesmtp: one session per mail, with time-outs on every phase so that a server
 * that accepts the connection and never answers cannot hold the worker for ever. */
#include <stdlib.h>
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h> /* before libesmtp.h, which declares smtp_starttls_set_ctx only then */
#include <auth-client.h>
#include <libesmtp.h>

#include "mail/smtp.h"

#define SMTP_DEFAULT_PORT ":25"
#define SMTP_CA_DIRECTIVE "SeancesSMTPCACertificate" /* named here: mail/ sits below cfg/ */

typedef struct {
    const mail_smtp_conf *conf;
    const char *tls_problem; /* set by the event callback when TLS could not be trusted */
} session_state;

static int interact(auth_client_request_t request, char **result, int fields, void *arg)
{
    const mail_smtp_conf *conf = arg;
    for (int i = 0; i < fields; i++) {
        if (request[i].flags & AUTH_USER) {
            result[i] = (char *)conf->user;
        } else if (request[i].flags & AUTH_PASS) {
            result[i] = (char *)conf->password;
        } else {
            return 0;
        }
    }
    return 1;
}

/* libesmtp asks here whether to go on with a certificate it could not verify: never. */
static void on_event(smtp_session_t session, int event, void *arg, ...)
{
    session_state *st = arg;
    (void)session;
    switch (event) {
    case SMTP_EV_INVALID_PEER_CERTIFICATE:
        st->tls_problem = "the server's certificate did not verify";
        break;
    case SMTP_EV_NO_PEER_CERTIFICATE:
        st->tls_problem = "the server sent no certificate";
        break;
    case SMTP_EV_WRONG_PEER_CERTIFICATE:
        st->tls_problem = "the server's certificate is for another name";
        break;
    case SMTP_EV_EXTNA_STARTTLS:
        if (st->conf->starttls == MAIL_TLS_REQUIRED) {
            st->tls_problem = "the server does not offer STARTTLS, which is required";
        }
        break;
    default:
        break;
    }
}

apr_status_t mail_smtp_check_ca(const char *path, const char **why)
{
    BIO *in = BIO_new_file(path, "r");
    if (!in) {
        *why = "cannot be read";
        return APR_EGENERAL;
    }
    int certificates = 0;
    X509 *x;
    while ((x = PEM_read_bio_X509(in, NULL, NULL, NULL)) != NULL) {
        X509_free(x);
        certificates++;
    }
    BIO_free(in);
    ERR_clear_error(); /* the end of the file reads as an error */
    if (certificates == 0) {
        *why = "holds no PEM certificate";
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

static int load_authorities(SSL_CTX *ctx, const char *ca_file)
{
    return ca_file ? SSL_CTX_load_verify_locations(ctx, ca_file, NULL)
                   : SSL_CTX_set_default_verify_paths(ctx);
}

/* libesmtp looks for a client certificate under $XDG_CONFIG_DIR/libesmtp, else under
 * $HOME/.config/libesmtp, and gives up STARTTLS when it cannot even stat there: Apache's
 * children (www-data) keep root's HOME (/root, mode 700) when Apache was started by hand. The
 * module presents no client certificate, so a place that does not exist is given; an
 * XDG_CONFIG_DIR set by the admin (in envvars) is kept. Called in the parent, before any thread. */
static void keep_libesmtp_out_of_home(void)
{
    if (!getenv("XDG_CONFIG_DIR")) {
        setenv("XDG_CONFIG_DIR", "/nonexistent", 0);
    }
}

static apr_status_t free_tls_ctx(void *ctx)
{
    SSL_CTX_free(ctx);
    return APR_SUCCESS;
}

apr_status_t mail_smtp_prepare(mail_smtp_conf *conf, apr_pool_t *pool, const char **why)
{
    *why = NULL;
    if (conf->user) {
        auth_client_init();
    }
    if (conf->starttls == MAIL_TLS_OFF || conf->tls_ctx) {
        return APR_SUCCESS;
    }
    keep_libesmtp_out_of_home();
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx || load_authorities(ctx, conf->ca_file) != 1 ||
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
        SSL_CTX_free(ctx);
        *why =
            conf->ca_file
                ? "cannot make a TLS context with the certificate authorities of " SMTP_CA_DIRECTIVE
                : "cannot make a TLS context with the system's certificate authorities";
        return APR_EGENERAL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    conf->tls_ctx = ctx;
    apr_pool_cleanup_register(pool, ctx, free_tls_ctx, apr_pool_cleanup_null);
    return APR_SUCCESS;
}

static void set_timeouts(smtp_session_t s, apr_interval_time_t timeout)
{
    long ms = (long)apr_time_as_msec(timeout);
    static const int phases[] = {Timeout_GREETING, Timeout_ENVELOPE, Timeout_DATA, Timeout_TRANSFER,
                                 Timeout_DATA2};
    for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
        smtp_set_timeout(s, phases[i] | Timeout_OVERRIDE_RFC2822_MINIMUM, ms);
    }
}

static const char *server_spec(apr_pool_t *p, const char *server)
{
    const char *colon = strrchr(server, ':');
    return colon && !strchr(colon, ']') ? server : apr_pstrcat(p, server, SMTP_DEFAULT_PORT, NULL);
}

static int setup_session(smtp_session_t s, const mail_smtp_conf *conf, session_state *st,
                         auth_context_t *auth, apr_pool_t *p)
{
    if (!smtp_set_server(s, server_spec(p, conf->server)) || !smtp_set_eventcb(s, on_event, st)) {
        return 0;
    }
    set_timeouts(s, conf->timeout);
    if (conf->starttls != MAIL_TLS_OFF) {
        if (!smtp_starttls_set_ctx(s, conf->tls_ctx) ||
            !smtp_starttls_enable(s, conf->starttls == MAIL_TLS_REQUIRED ? Starttls_REQUIRED
                                                                         : Starttls_ENABLED)) {
            return 0;
        }
    }
    if (conf->user && conf->password) {
        *auth = auth_create_context();
        /* plain mechanisms only inside TLS when TLS is required */
        auth_set_mechanism_flags(*auth, conf->starttls == MAIL_TLS_REQUIRED ? AUTH_PLUGIN_PLAIN : 0,
                                 0);
        auth_set_interact_cb(*auth, interact, (void *)conf);
        smtp_auth_set_context(s, *auth);
    }
    return 1;
}

static const char *libesmtp_error(apr_pool_t *p)
{
    char buf[256];
    const char *text = smtp_strerror(smtp_errno(), buf, sizeof(buf));
    return apr_pstrdup(p, text ? text : "unknown libesmtp error");
}

/* A handshake that OpenSSL refused (the server's certificate did not verify against the trusted
 * CAs, no common TLS version) ends libesmtp's session with a bare "Client error"; the reason is
 * in this thread's OpenSSL error queue, which is emptied here for the next mail. */
static const char *tls_failure(apr_pool_t *p)
{
    unsigned long e = ERR_peek_last_error();
    const char *reason = e ? ERR_reason_error_string(e) : NULL;
    ERR_clear_error();
    return reason ? apr_pstrcat(p, "the TLS handshake failed: ", reason, NULL) : NULL;
}

/* A status line of the server for the log: "530 5.7.0 Authentication required". */
static const char *status_text(apr_pool_t *p, const smtp_status_t *status)
{
    const char *text = status->text ? status->text : "";
    apr_size_t len = strlen(text);
    while (len > 0 && apr_isspace(text[len - 1])) {
        len--;
    }
    return apr_psprintf(p, "%d %s", status->code, apr_pstrmemdup(p, text, len));
}

static apr_status_t outcome(apr_pool_t *p, smtp_message_t m, smtp_recipient_t rcpt,
                            const session_state *st, const char **why)
{
    const smtp_status_t *ms = smtp_message_transfer_status(m);
    const smtp_status_t *rs = smtp_recipient_status(rcpt);
    if (ms && ms->code / 100 == 2 && rs && rs->code / 100 == 2) {
        return APR_SUCCESS;
    }
    const smtp_status_t *sender = smtp_reverse_path_status(m);
    const char *tls = tls_failure(p);
    if (st->tls_problem || tls) {
        *why = st->tls_problem ? st->tls_problem : tls;
    } else if (sender && sender->code / 100 >= 4) {
        /* a refused AUTH ends here too: the server then refuses MAIL FROM (530) */
        *why = apr_pstrcat(p, "the server refused the sender: ", status_text(p, sender), NULL);
    } else if (!ms || ms->code == 0) {
        *why = apr_psprintf(p, "no answer from the server within the time-out (%s)",
                            libesmtp_error(p));
    } else if (rs && rs->code && rs->code / 100 != 2) {
        *why = apr_pstrcat(p, "the server refused the recipient: ", status_text(p, rs), NULL);
    } else {
        *why = apr_pstrcat(p, "the server did not accept the mail: ", status_text(p, ms), NULL);
    }
    return APR_EGENERAL;
}

static apr_status_t smtp_send(void *confp, apr_pool_t *p, const char *from, const char *to,
                              const char *message, const char **why)
{
    const mail_smtp_conf *conf = confp;
    session_state st = {conf, NULL};
    auth_context_t auth = NULL;
    apr_status_t rv = APR_EGENERAL;
    smtp_session_t s = smtp_create_session();
    smtp_message_t m = s ? smtp_add_message(s) : NULL;
    smtp_recipient_t rcpt = m ? smtp_add_recipient(m, to) : NULL;
    *why = "libesmtp could not set up the session";
    ERR_clear_error(); /* what OpenSSL reports after this session is about it alone */
    if (rcpt && smtp_set_reverse_path(m, from) && smtp_set_message_str(m, (void *)message) &&
        setup_session(s, conf, &st, &auth, p)) {
        if (!smtp_start_session(s)) {
            const char *tls = tls_failure(p);
            *why = st.tls_problem ? st.tls_problem : tls ? tls : libesmtp_error(p);
        } else {
            rv = outcome(p, m, rcpt, &st, why);
        }
    }
    if (s) {
        smtp_destroy_session(s);
    }
    if (auth) {
        auth_destroy_context(auth);
    }
    return rv;
}

const mail_backend mail_smtp_backend = {"smtp", smtp_send};
