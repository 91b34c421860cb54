/* At most SeancesHashConcurrency password checks at once per process: each holds an argon2
 * work area (19 MiB) and a CPU, so more at once only cost memory and slow everyone, page
 * serving included. Logins beyond that wait their turn in a bounded queue, at most
 * SeancesDatabaseWait; a full queue or a longer wait answers 503. */
#ifndef WEB_HASHGATE_H
#define WEB_HASHGATE_H

#include "httpd.h"

typedef enum {
    WEB_HASHGATE_OK,      /* go ahead; call web_hashgate_leave when done */
    WEB_HASHGATE_FULL,    /* the queue was full */
    WEB_HASHGATE_EXPIRED, /* waited SeancesDatabaseWait without a turn */
} web_hashgate_result;

typedef struct web_hashgate web_hashgate;

/* Creates this process's gates (child_init): one per distinct setting among the servers. */
apr_status_t web_hashgate_child_init(apr_pool_t *pchild, server_rec *s);

/* Waits for a turn on the gate of the request's server; *gate is what leave takes. */
web_hashgate_result web_hashgate_enter(request_rec *r, web_hashgate **gate);
void web_hashgate_leave(web_hashgate *gate);

/* The answer when no turn came: logged (SEANCES0109), counted, the 503 page. */
int web_hashgate_refuse(request_rec *r, web_hashgate_result turn);

#endif
