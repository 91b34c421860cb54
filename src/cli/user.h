/* seances-admin's "user ..." commands (cli/user.c); each returns the exit code. */
#ifndef CLI_USER_H
#define CLI_USER_H

#include "cli/common.h"

int cli_user_add(cli_ctx *c);
int cli_user_passwd(cli_ctx *c);
int cli_user_list(cli_ctx *c);
int cli_user_show(cli_ctx *c);
int cli_user_set_disabled(cli_ctx *c, int disabled);
int cli_user_delete(cli_ctx *c);

#endif
