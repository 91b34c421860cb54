/* The directive table of mod_seances_auth (cfg/directives.c) and what the merge needs. */
#ifndef CFG_DIRECTIVES_H
#define CFG_DIRECTIVES_H

#include "httpd.h"
#include "http_config.h"
#include "cfg/config.h"

extern const command_rec cfg_commands[];

/* Recomputes the registry key and the CSRF key after a passphrase or the cipher changed. */
void cfg_crypto_spec_finish(apr_pool_t *p, cfg_crypto_spec *spec);

#endif
