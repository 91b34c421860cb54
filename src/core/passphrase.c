/* Passphrase hygiene: see passphrase.h. */
#include <string.h>

#include "core/passphrase.h"

static int distinct_bytes(const unsigned char *s, size_t n)
{
    unsigned char seen[256] = {0};
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        count += !seen[s[i]];
        seen[s[i]] = 1;
    }
    return count;
}

/* 1 when s is a shorter piece said at least twice (the last time possibly cut short). */
static int is_repeated(const unsigned char *s, size_t n)
{
    for (size_t period = 1; period <= n / 2; period++) {
        size_t i = period;
        while (i < n && s[i] == s[i - period]) {
            i++;
        }
        if (i == n) {
            return 1;
        }
    }
    return 0;
}

/* 1 when each character is the one after (or before) the previous one: "abcd...", "9876...". */
static int is_run(const unsigned char *s, size_t n)
{
    int step = (int)s[1] - (int)s[0];
    if (step != 1 && step != -1) {
        return 0;
    }
    for (size_t i = 2; i < n; i++) {
        if ((int)s[i] - (int)s[i - 1] != step) {
            return 0;
        }
    }
    return 1;
}

const char *sa_passphrase_weakness(const char *s)
{
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)u);
    if (n < SA_PASSPHRASE_MIN) {
        return "is shorter than 16 characters";
    }
    if (distinct_bytes(u, n) < SA_PASSPHRASE_DISTINCT) {
        return "has fewer than 8 different characters";
    }
    if (is_repeated(u, n)) {
        return "repeats a shorter piece";
    }
    if (is_run(u, n)) {
        return "is a run of consecutive characters";
    }
    return NULL;
}
