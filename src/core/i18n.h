/* The module's words in French (default), German, Italian and English. */
#ifndef SA_I18N_H
#define SA_I18N_H

#include <apr_pools.h>
#include <apr_tables.h>

typedef enum { SA_LANG_FR = 0, SA_LANG_DE, SA_LANG_IT, SA_LANG_EN, SA_LANG_COUNT } sa_lang;

/* 0 and *out for "fr", "de", "it", "en" (case-insensitive); -1 otherwise. */
int sa_lang_from_code(const char *code, sa_lang *out);
const char *sa_lang_code(sa_lang lang);

/* Picks the best of our four languages from an Accept-Language header (q-values honoured,
 * "de-CH" matches "de"); fallback when nothing matches or the header is NULL. */
sa_lang sa_lang_negotiate(const char *accept_language, sa_lang fallback);

/* The text for key in lang; the French text when lang lacks it; the key itself when unknown. */
const char *sa_msg(sa_lang lang, const char *key);

/* Sets "t.<key>" to every text of lang in vars (for templates). */
void sa_i18n_fill(apr_table_t *vars, sa_lang lang);

#endif
