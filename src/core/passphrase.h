/* What a passphrase of the cookie crypto must be (issue 13, finding 5; SEC-42): the whole
 * security of the cookies rests on it, so an obviously guessable one is refused, by the
 * module at start-up (apachectl -t) and by seances-admin check alike. */
#ifndef SA_PASSPHRASE_H
#define SA_PASSPHRASE_H

#define SA_PASSPHRASE_MIN 16     /* characters (bytes) */
#define SA_PASSPHRASE_DISTINCT 8 /* different characters at least */

/* NULL when the passphrase is acceptable, else why not, as a phrase that completes "the
 * passphrase ...": shorter than SA_PASSPHRASE_MIN, fewer than SA_PASSPHRASE_DISTINCT distinct
 * characters ("aaaaaaaaaaaaaaaa", "passwordpassword"), one shorter piece repeated
 * ("Secret12Secret12"), or a run of consecutive characters ("abcdefghijklmnop"). These only
 * catch the obvious: a good passphrase is random (openssl rand -base64 32). */
const char *sa_passphrase_weakness(const char *s);

#endif
