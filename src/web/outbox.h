/* The notice outbox's sending side (web/outbox.c), run by web/housekeeping.c. */
#ifndef WEB_OUTBOX_H
#define WEB_OUTBOX_H

#include "httpd.h"

/* Takes the oldest notices that seances-admin left and queues their mails. For a server that
 * sends mail (web_mailer_configured): elsewhere the rows wait for one, or for retention. */
void web_outbox_round(request_rec *r);

#endif
