/* The key under which a user name is unique (issue 13, finding 9; SEC-78). */
#ifndef STORE_NAMEKEY_H
#define STORE_NAMEKEY_H

#include <apr_pools.h>

/* RFC 8265's UsernameCaseMapped profile, the preparation and mapping steps: fullwidth and
 * halfwidth characters mapped to their ordinary forms, Unicode default case folding, then
 * NFC (libutf8proc). "Émile", "émile", "ÉMILE" and "e" + U+0301 + "mile" give one key, as do
 * "Straße" and "STRASSE". A name that is not valid UTF-8 (never accepted for a new account)
 * falls back to ASCII lower case, the key of schema versions before 4. */
const char *sa_store_name_key(apr_pool_t *p, const char *name);

#endif
