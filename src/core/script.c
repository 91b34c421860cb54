/* Which scripts a name's letters come from: see script.h. */
#include <utf8proc.h>

#include "core/script.h"

enum {
    SC_LATIN = 1 << 0,
    SC_GREEK = 1 << 1,
    SC_CYRILLIC = 1 << 2,
    SC_ARMENIAN = 1 << 3,
    SC_HEBREW = 1 << 4,
    SC_ARABIC = 1 << 5,
    SC_CHEROKEE = 1 << 6,
    SC_HAN = 1 << 7,
    SC_HIRAGANA = 1 << 8,
    SC_KATAKANA = 1 << 9,
    SC_BOPOMOFO = 1 << 10,
    SC_HANGUL = 1 << 11,
    SC_GEORGIAN = 1 << 12,
    SC_OTHER = 1 << 13, /* any other letter: a script of its own */
};

typedef struct {
    utf8proc_int32_t first, last;
    int script;
} block;

static const block blocks[] = {
    {0x0041, 0x024F, SC_LATIN},    {0x1E00, 0x1EFF, SC_LATIN},    {0x2C60, 0x2C7F, SC_LATIN},
    {0xA720, 0xA7FF, SC_LATIN},    {0xFF21, 0xFF5A, SC_LATIN},    {0x0250, 0x02AF, SC_LATIN},
    {0x0370, 0x03FF, SC_GREEK},    {0x1F00, 0x1FFF, SC_GREEK},    {0x0400, 0x052F, SC_CYRILLIC},
    {0x1C80, 0x1C8F, SC_CYRILLIC}, {0x2DE0, 0x2DFF, SC_CYRILLIC}, {0xA640, 0xA69F, SC_CYRILLIC},
    {0x0530, 0x058F, SC_ARMENIAN}, {0x0590, 0x05FF, SC_HEBREW},   {0x0600, 0x06FF, SC_ARABIC},
    {0x0750, 0x077F, SC_ARABIC},   {0x13A0, 0x13FF, SC_CHEROKEE}, {0xAB70, 0xABBF, SC_CHEROKEE},
    {0x10A0, 0x10FF, SC_GEORGIAN}, {0x2E80, 0x2FDF, SC_HAN},      {0x3005, 0x3007, SC_HAN},
    {0x3400, 0x4DBF, SC_HAN},      {0x4E00, 0x9FFF, SC_HAN},      {0xF900, 0xFAFF, SC_HAN},
    {0x20000, 0x3134F, SC_HAN},    {0x3040, 0x309F, SC_HIRAGANA}, {0x30A0, 0x30FF, SC_KATAKANA},
    {0x31F0, 0x31FF, SC_KATAKANA}, {0xFF66, 0xFF9F, SC_KATAKANA}, {0x3100, 0x312F, SC_BOPOMOFO},
    {0x31A0, 0x31BF, SC_BOPOMOFO}, {0x1100, 0x11FF, SC_HANGUL},   {0x3130, 0x318F, SC_HANGUL},
    {0xAC00, 0xD7AF, SC_HANGUL},
};

static int is_letter(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LT ||
           c == UTF8PROC_CATEGORY_LM || c == UTF8PROC_CATEGORY_LO;
}

/* 0 for what belongs to every script (digits, marks, punctuation, U+30FC and the like). */
static int script_of(utf8proc_int32_t cp)
{
    if (!is_letter(cp) || cp == 0x30FC || cp == 0x00AA || cp == 0x00BA) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
        if (cp >= blocks[i].first && cp <= blocks[i].last) {
            return blocks[i].script;
        }
    }
    return SC_OTHER;
}

static int allowed(int set)
{
    static const int mixes[] = {SC_LATIN | SC_HAN | SC_HIRAGANA | SC_KATAKANA,
                                SC_LATIN | SC_HAN | SC_BOPOMOFO, SC_LATIN | SC_HAN | SC_HANGUL};
    if ((set & (set - 1)) == 0) {
        return 1; /* none or one */
    }
    for (size_t i = 0; i < sizeof(mixes) / sizeof(mixes[0]); i++) {
        if ((set & ~mixes[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

const char *sa_script_mixed(const char *s)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    int set = 0;
    while (u && *u) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(u, -1, &cp);
        if (n <= 0) {
            return "the user name is not valid UTF-8";
        }
        set |= script_of(cp);
        u += n;
    }
    return allowed(set) ? NULL
                        : "the user name mixes letters of different scripts (like a Cyrillic "
                          "\"а\" in a Latin name), which look alike";
}
