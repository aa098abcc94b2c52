/* Word folding for dictionary matching; see fold.h. */
#include "goods/fold.h"
#include <stdlib.h>
#include <string.h>

/* Base letters of U+00C0..U+00FF ('*' = not a letter: U+00D7, U+00F7). */
static const char latin1_base[64] = "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
                                    "aaaaaaaceeeeiiiidnooooo*ouuuuyty";
/* Base letters of U+0100..U+017F (Latin Extended-A). */
static const char latin_exta_base[128] = "aaaaaaccccccccdd"
                                         "ddeeeeeeeeeegggg"
                                         "gggghhhhiiiiiiii"
                                         "iiiijjkkklllllll"
                                         "lllnnnnnnnnnoooo"
                                         "oooorrrrrrssssss"
                                         "ssttttttuuuuuuuu"
                                         "uuuuwwyyyzzzzzzs";

/* Decodes one UTF-8 code point at s[*i] (advancing *i); returns -1 for an
 * invalid sequence (one byte is consumed). */
static long utf8_next(const unsigned char *s, size_t len, size_t *i) {
    unsigned c = s[*i];
    if (c < 0x80) {
        (*i)++;
        return (long)c;
    }
    size_t need;
    unsigned long cp;
    if ((c & 0xE0) == 0xC0) {
        need = 1;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        need = 2;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        need = 3;
        cp = c & 0x07;
    } else {
        (*i)++;
        return -1;
    }
    if (*i + need >= len) {
        (*i)++;
        return -1;
    }
    for (size_t k = 1; k <= need; k++) {
        unsigned b = s[*i + k];
        if ((b & 0xC0) != 0x80) {
            (*i)++;
            return -1;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    *i += need + 1;
    return (long)cp;
}

static int put_utf8(char *o, unsigned long cp) {
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

enum { K_SEP = 0, K_WORD, K_CJK, K_APOS };

/* Classifies cp and writes its folded form (up to 4 bytes) to o, setting
 * *olen and *upper. */
static int classify(long cpl, char *o, int *olen, int *upper) {
    *upper = 0;
    *olen = 0;
    if (cpl < 0) return K_SEP;
    unsigned long cp = (unsigned long)cpl;
    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z') {
            o[0] = (char)cp;
            *olen = 1;
            return K_WORD;
        }
        if (cp >= 'A' && cp <= 'Z') {
            o[0] = (char)(cp + 32);
            *olen = 1;
            *upper = 1;
            return K_WORD;
        }
        if (cp >= '0' && cp <= '9') {
            o[0] = (char)cp;
            *olen = 1;
            *upper = 1;
            return K_WORD;
        }
        if (cp == '\'') return K_APOS;
        return K_SEP;
    }
    if (cp == 0x2019 || cp == 0x02BC) return K_APOS;   /* right single quote, modifier apostrophe */
    if (cp >= 0xC0 && cp <= 0xFF) {
        char b = latin1_base[cp - 0xC0];
        if (b == '*') return K_SEP;
        *upper = cp < 0xDF;
        if (cp == 0xDF) {   /* sharp s */
            o[0] = 's';
            o[1] = 's';
            *olen = 2;
            return K_WORD;
        }
        o[0] = b;
        *olen = 1;
        return K_WORD;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        o[0] = latin_exta_base[cp - 0x100];
        *olen = 1;
        *upper = (cp & 1) == 0 && cp != 0x138;
        return K_WORD;
    }
    if (cp >= 0x400 && cp <= 0x4FF) {
        unsigned long lc = cp;
        if (cp >= 0x410 && cp <= 0x42F) {
            lc = cp + 0x20;
            *upper = 1;
        } else if (cp >= 0x400 && cp <= 0x40F) {
            lc = cp + 0x50;
            *upper = 1;
        }
        if (lc == 0x451) lc = 0x435;   /* ё -> е */
        *olen = put_utf8(o, lc);
        return K_WORD;
    }
    if (cp >= 0xFF10 && cp <= 0xFF19) {
        o[0] = (char)('0' + (cp - 0xFF10));
        *olen = 1;
        *upper = 1;
        return K_WORD;
    }
    if (cp >= 0xFF21 && cp <= 0xFF3A) {
        o[0] = (char)('a' + (cp - 0xFF21));
        *olen = 1;
        *upper = 1;
        return K_WORD;
    }
    if (cp >= 0xFF41 && cp <= 0xFF5A) {
        o[0] = (char)('a' + (cp - 0xFF41));
        *olen = 1;
        return K_WORD;
    }
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF)) {
        *olen = put_utf8(o, cp);
        *upper = 1;
        return K_CJK;
    }
    /* Punctuation and symbol blocks separate; other scripts are letters. */
    if (cp < 0x370) return K_SEP;                       /* Latin-1 symbols, spacing modifiers, ... */
    if (cp >= 0x2000 && cp <= 0x2BFF) return K_SEP;    /* general punctuation .. misc symbols */
    if (cp >= 0x3000 && cp <= 0x303F) return K_SEP;    /* CJK symbols and punctuation */
    if (cp >= 0xFE30 && cp <= 0xFE4F) return K_SEP;
    if (cp >= 0xFF00 && cp <= 0xFFEF) return K_SEP;    /* remaining fullwidth/halfwidth forms */
    if (cp >= 0xFFF0) return K_SEP;
    *olen = put_utf8(o, cp);
    return K_WORD;
}

static int ensure(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need) nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}

int cp_fold_text(cp_ftext *ft, const char *text, size_t len) {
    ft->blen = 0;
    ft->n = 0;
    /* Folded output is at most 2x the input (ß -> ss is the only growth;
     * separators shrink): reserve once. */
    if (ensure((void **)&ft->buf, &ft->bcap, 2 * len + 8, 1) < 0) return -1;
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    int in_word = 0;
    while (i < len) {
        size_t at = i;
        long cp = utf8_next(s, len, &i);
        char o[8];
        int olen, upper;
        int k = classify(cp, o, &olen, &upper);
        if (k == K_APOS) {
            /* apostrophe inside a word: dropped; otherwise a separator */
            if (in_word && i < len) {
                size_t j = i;
                char o2[8];
                int ol2, up2;
                if (classify(utf8_next(s, len, &j), o2, &ol2, &up2) == K_WORD) continue;
            }
            k = K_SEP;
        }
        if (k == K_SEP) {
            in_word = 0;
            continue;
        }
        if (k == K_CJK || !in_word) {
            if (ft->n >= CP_FOLD_MAX_TOKENS) break;
            if (ensure((void **)&ft->toks, &ft->cap, ft->n + 1, sizeof(cp_ftok)) < 0) return -1;
            if (ft->n) ft->buf[ft->blen++] = ' ';
            cp_ftok *t = &ft->toks[ft->n++];
            t->start = (uint32_t)at;
            t->nstart = (uint32_t)ft->blen;
            t->nlen = 0;
            t->cap = (uint8_t)upper;
            t->cjk = k == K_CJK;
        }
        cp_ftok *t = &ft->toks[ft->n - 1];
        memcpy(ft->buf + ft->blen, o, (size_t)olen);
        ft->blen += (size_t)olen;
        t->nlen += (uint32_t)olen;
        t->end = (uint32_t)i;
        in_word = k == K_WORD;
    }
    return 0;
}

void cp_ftext_free(cp_ftext *ft) {
    if (!ft) return;
    free(ft->buf);
    free(ft->toks);
    memset(ft, 0, sizeof *ft);
}

int cp_phrase_dict_init(cp_phrase_dict *d) {
    d->phrases = cp_strmap_new();
    d->first = cp_strmap_new();
    d->max_tokens = 0;
    if (!d->phrases || !d->first) {
        cp_phrase_dict_free(d);
        return -1;
    }
    return 0;
}

void cp_phrase_dict_free(cp_phrase_dict *d) {
    if (!d) return;
    cp_strmap_free(d->phrases);
    cp_strmap_free(d->first);
    d->phrases = d->first = NULL;
}

int cp_phrase_add(cp_phrase_dict *d, cp_ftext *scratch, const char *phrase, size_t len, uint32_t value) {
    if (cp_fold_text(scratch, phrase, len) < 0) return -1;
    if (scratch->n == 0) return 2;
    uint32_t old;
    if (cp_strmap_get(d->phrases, scratch->buf, scratch->blen, &old)) return 1;
    if (cp_strmap_put(d->phrases, scratch->buf, scratch->blen, value) < 0) return -1;
    uint32_t ntok = (uint32_t)scratch->n, cur = 0;
    const cp_ftok *t0 = &scratch->toks[0];
    if (!cp_strmap_get(d->first, scratch->buf + t0->nstart, t0->nlen, &cur) || cur < ntok)
        if (cp_strmap_put(d->first, scratch->buf + t0->nstart, t0->nlen, ntok) < 0) return -1;
    if (ntok > d->max_tokens) d->max_tokens = ntok;
    return 0;
}

size_t cp_phrase_scan(const cp_phrase_dict *d, const cp_ftext *ft, int plural_s, cp_phrase_match *out,
                      size_t max) {
    size_t nout = 0;
    for (size_t i = 0; i < ft->n && nout < max;) {
        const cp_ftok *t = &ft->toks[i];
        uint32_t maxlen = 0;
        int found = cp_strmap_get(d->first, ft->buf + t->nstart, t->nlen, &maxlen);
        if (!found && plural_s && t->nlen >= 4 && ft->buf[t->nstart + t->nlen - 1] == 's') {
            /* single-token plural of a first token ("bearings" -> "bearing") */
            uint32_t v;
            if (cp_strmap_get(d->phrases, ft->buf + t->nstart, t->nlen - 1, &v)) {
                out[nout].tok = (uint32_t)i;
                out[nout].ntok = 1;
                out[nout].value = v;
                nout++;
                i++;
                continue;
            }
        }
        if (!found) {
            i++;
            continue;
        }
        size_t lim = ft->n - i < maxlen ? ft->n - i : maxlen;
        size_t hit = 0;
        uint32_t value = 0;
        for (size_t k = lim; k >= 1; k--) {
            const cp_ftok *last = &ft->toks[i + k - 1];
            size_t klen = last->nstart + last->nlen - t->nstart;
            if (cp_strmap_get(d->phrases, ft->buf + t->nstart, klen, &value)) {
                hit = k;
                break;
            }
            if (plural_s && last->nlen >= 4 && ft->buf[last->nstart + last->nlen - 1] == 's' &&
                cp_strmap_get(d->phrases, ft->buf + t->nstart, klen - 1, &value)) {
                hit = k;
                break;
            }
        }
        if (hit) {
            out[nout].tok = (uint32_t)i;
            out[nout].ntok = (uint32_t)hit;
            out[nout].value = value;
            nout++;
            i += hit;
        } else {
            i++;
        }
    }
    return nout;
}
