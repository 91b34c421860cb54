/* seances-admin's commands about grants, 2FA, bans, sessions, history, imports and
 * retention
 * (cli/admin.c); each returns the exit code. */
#ifndef CLI_ADMIN_H
#define CLI_ADMIN_H

#include "cli/common.h"

int cli_grant(cli_ctx *c);
int cli_revoke(cli_ctx *c);
int cli_twofactor_reset(cli_ctx *c);
int cli_unlock(cli_ctx *c);
int cli_sessions(cli_ctx *c);
int cli_history(cli_ctx *c);
int cli_import_htpasswd(cli_ctx *c);
int cli_purge(cli_ctx *c);

#endif
