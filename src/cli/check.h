/* seances-admin check (cli/check.c): what an admin, and the package's postinst, should know
 * before Apache uses the database. */
#ifndef CLI_CHECK_H
#define CLI_CHECK_H

#include "cli/common.h"

/* Where the Debian package puts the cookie passphrase (SeancesCryptoPassphraseFile). */
#define CLI_PASSPHRASE_FILE "/etc/apache2/seances.passphrase"

/* Prints one line per check ("ok", "FAIL" or "skip", what, details) and returns 1 when one
 * failed. Opens the database itself, after looking at its file. */
int cli_check(cli_ctx *c);

#endif
