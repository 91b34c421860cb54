/* Stable identifiers for the module's log lines, in the spirit of httpd's APLOGNO: admins,
 * fail2ban filters and tests match "SEANCESnnnn", not the wording. Write SALOG(0101) in front
 * of the format string; every number is used once (tools/check-logno.sh) and the README
 * lists them. Ranges: 01xx logins and logouts (fail2ban), 02xx sessions and identity, 03xx
 * database, 04xx configuration and start-up, 05xx pages and forms, 06xx portal, 07xx
 * two-factor, 08xx mail and password reset, 09xx operations (status, retention). */
#ifndef CFG_LOGNO_H
#define CFG_LOGNO_H

#define SALOG(n) "SEANCES" #n ": "

#endif
