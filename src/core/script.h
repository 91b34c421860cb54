/* Mixed-script user names (issue 13, finding 9; SEC-78): "аlice" with a Cyrillic "а" looks
 * like "alice" but is another account. */
#ifndef SA_SCRIPT_H
#define SA_SCRIPT_H

/* NULL when the letters of the UTF-8 string s come from one script, or from one of the
 * combinations that Unicode's "highly restrictive" level (UTS #39, 5.2) allows: Latin with
 * Han, Hiragana and Katakana (Japanese), Latin with Han and Bopomofo (Chinese), Latin with Han
 * and Hangul (Korean). Else a message. Digits, punctuation, spaces and combining marks belong
 * to every script. The scripts are told by Unicode block, for the scripts whose letters are
 * known confusables of Latin ones (Greek, Cyrillic, Armenian, Cherokee, ...). */
const char *sa_script_mixed(const char *s);

#endif
