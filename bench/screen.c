/* bench/screen: screening throughput and latency on MT103 and pacs.008
 * messages, with the bundled lists and the default policy (a benchmark,
 * never a test).
 *
 * Message mix (deterministic, no two messages alike): each message is built
 * from a template in the shape of examples/mt103_*.fin and
 * examples/pacs008_third_country_payer.xml, with the ordering customer /
 * debtor, the beneficiary / creditor, an ultimate debtor (pacs.008), their
 * towns and countries, the amount, references and the remittance text drawn
 * at random:
 *   - party names: 15% list names (primary names and aliases of the bundled
 *     lists, as listed or varied: typo, swapped order, dropped middle word,
 *     other romanization, joined words), 85% names on no list (synthetic
 *     persons of yente's candidate generation benchmark when /work/shared is
 *     present, read in place, never copied; and syllable-made company names
 *     with a legal form);
 *   - remittance: invoice/contract references, goods descriptions with or
 *     without HS codes, sometimes a person or company name (names in free
 *     text are screened too: policy free_text_names).
 * Nothing is cached across messages by the library, so repeats would not
 * flatter the figures, but every message is distinct anyway.
 *
 * Measured per message: parse (cp_msg_parse) and screen (cp_screen_request
 * for each request), each as thread CPU time (robust to other processes on
 * a busy machine) and wall time.
 *
 * Usage: build/bench/screen [MESSAGES [POLICY]]  (default 20000 per format,
 * data/policy/default.policy) */
#include "chokepoint.h"
#include "engine.h"
#include "index/index.h"
#include "msg/parse.h"
#include "screen/screen.h"
#include "bench_util.h"
#include "search_variants.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct gen {
    const cp_engine *e;
    char **neg;
    size_t n_neg;
    uint32_t seed;
} gen;

/* A name on no list: a synthetic person, or a syllable-made company. */
static void unlisted_name(gen *g, char *out, size_t cap) {
    if (g->n_neg && bv_rand(&g->seed) % 2) {
        snprintf(out, cap, "%s", g->neg[bv_rand(&g->seed) % g->n_neg]);
        return;
    }
    static const char *const syl[] = {"ka", "lo", "mi", "ren", "sa", "tor", "vel", "an", "dri", "gu", "ber",
                                      "ne", "stein", "wa", "hol", "mar", "ko", "lin", "tek", "po"};
    static const char *const form[] = {"GMBH", "LLC", "LTD", "SA", "BV", "AG", "TRADING CO", "INDUSTRIES INC",
                                       "LOGISTICS SRL", "HANDELS GMBH", "SP Z O O", "AS", "OY", "PTE LTD"};
    size_t o = 0;
    int words = 1 + (int)(bv_rand(&g->seed) % 2);
    for (int w = 0; w < words && o + 40 < cap; w++) {
        if (w) out[o++] = ' ';
        int ns = 2 + (int)(bv_rand(&g->seed) % 2);
        for (int k = 0; k < ns; k++) {
            const char *sy = syl[bv_rand(&g->seed) % (sizeof syl / sizeof syl[0])];
            size_t l = strlen(sy);
            memcpy(out + o, sy, l);
            o += l;
        }
    }
    snprintf(out + o, cap - o, " %s", form[bv_rand(&g->seed) % (sizeof form / sizeof form[0])]);
    for (char *p = out; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
}

/* A list name (as listed or varied), ASCII only (payment clerks type
 * Latin; MT's character set is Latin), or an unlisted name. */
static void party_name(gen *g, char *out, size_t cap) {
    size_t nn = cp_index_name_count(g->e->index);
    if (nn && bv_rand(&g->seed) % 100 < 15) {
        for (int tries = 0; tries < 20; tries++) {
            const cp_idx_name *nm = cp_index_name(g->e->index, bv_rand(&g->seed) % (uint32_t)nn);
            const cp_entity *ent = cp_list_entity(g->e->lists[nm->list], nm->entity);
            const char *t = ent->names[nm->name].text;
            size_t l = strlen(t);
            int ascii = l >= 4 && l <= 60;
            for (size_t i = 0; i < l && ascii; i++)
                if ((unsigned char)t[i] >= 0x80 || t[i] == '<' || t[i] == '&' || t[i] == ':' || t[i] == '{' ||
                    t[i] == '}' || t[i] == '\n')
                    ascii = 0;
            if (!ascii) continue;
            if (bv_make(t, (bv_kind)(bv_rand(&g->seed) % BV__COUNT), g->seed, out, cap) != 0)
                snprintf(out, cap, "%s", t);
            return;
        }
    }
    unlisted_name(g, out, cap);
}

static const char *const towns[][2] = {
    {"MUENCHEN", "DE"}, {"HAMBURG", "DE"}, {"LINZ", "AT"},      {"WIEN", "AT"},       {"MILANO", "IT"},
    {"LYON", "FR"},     {"ROTTERDAM", "NL"}, {"WARSZAWA", "PL"}, {"PRAHA", "CZ"},     {"MADRID", "ES"},
    {"ZURICH", "CH"},   {"STOCKHOLM", "SE"}, {"DUBAI", "AE"},    {"ISTANBUL", "TR"},  {"ALMATY", "KZ"},
    {"HONG KONG", "HK"}, {"SHENZHEN", "CN"}, {"NEW YORK", "US"},  {"LONDON", "GB"},    {"SINGAPORE", "SG"}};
static const char *const bics[] = {"COBADEFF", "DEUTDEFF", "BKAUATWW", "UNCRITMM", "BNPAFRPP", "INGBNL2A",
                                   "PKOPPLPW", "KOMBCZPP", "BSCHESMM", "UBSWCHZH", "HANDSESS", "EBILAEAD",
                                   "TGBATRIS", "HSBCHKHH", "BKCHCNBJ", "CHASUS33", "BARCGB22", "DBSSSGSG"};

/* Cuts s to at most max bytes at a UTF-8 character boundary. */
static void utf8_cut(char *s, size_t max) {
    size_t l = strlen(s);
    if (l <= max) return;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
    s[max] = 0;
}

/* Remittance text: references, goods (with or without HS code), and now and
 * then a name. */
static void remittance(gen *g, char *out, size_t cap, int mt) {
    static const char *const goods[] = {"PACKAGING MACHINES",    "SPARE PARTS",          "OFFICE FURNITURE",
                                        "BALL BEARINGS",         "TAPERED ROLLER BEARINGS", "CNC LATHE",
                                        "MICROCONTROLLERS",      "COFFEE BEANS",         "TEXTILE FABRIC",
                                        "OSCILLOSCOPE",          "CONSULTING SERVICES",  "SOFTWARE LICENCE",
                                        "STEEL PIPES",           "FRESH FRUIT",          "GNSS MODULE"};
    static const char *const hs[] = {"8422.40", "8482.20", "9403.30", "8542.31", "0901.11", "8458.11",
                                     "7304.19", "9030.20", "5208.12"};
    int r = (int)(bv_rand(&g->seed) % 10);
    unsigned inv = bv_rand(&g->seed) % 100000;
    const char *gd = goods[bv_rand(&g->seed) % (sizeof goods / sizeof goods[0])];
    const char *nl = mt ? "\n" : " ";
    if (r < 4) {
        snprintf(out, cap, "/INV/%u/2024%s%s", inv, nl, gd);
    } else if (r < 7) {
        snprintf(out, cap, "ORDER %u %s HS %s", inv, gd, hs[bv_rand(&g->seed) % (sizeof hs / sizeof hs[0])]);
    } else if (r < 9) {
        snprintf(out, cap, "CONTRACT %u/2024 ADVANCE PAYMENT", inv);
    } else {
        char nm[128];
        party_name(g, nm, sizeof nm);
        utf8_cut(nm, 30);
        snprintf(out, cap, "INVOICE %u%sON BEHALF OF %s", inv, nl, nm);
    }
}

/* MT103 (block 4 lines at most 35 characters: names are cut). */
static size_t make_mt103(gen *g, char *out, size_t cap) {
    char dn[128], cn[128], rm[256];
    party_name(g, dn, sizeof dn);
    party_name(g, cn, sizeof cn);
    utf8_cut(dn, 35);
    utf8_cut(cn, 35);
    remittance(g, rm, sizeof rm, 1);
    size_t td = bv_rand(&g->seed) % (sizeof towns / sizeof towns[0]);
    size_t tc = bv_rand(&g->seed) % (sizeof towns / sizeof towns[0]);
    const char *b1 = bics[bv_rand(&g->seed) % (sizeof bics / sizeof bics[0])];
    const char *b2 = bics[bv_rand(&g->seed) % (sizeof bics / sizeof bics[0])];
    unsigned ref = bv_rand(&g->seed) % 1000000;
    int n = snprintf(out, cap,
                     "{1:F01%sAXXX0000000000}{2:I103%sXXXXN}{4:\n"
                     ":20:PAY-%06u\n:23B:CRED\n:32A:240503EUR%u,00\n"
                     ":50K:/DE20700500000001234567\n%s\nHAUPTSTRASSE %u\n%u %s, %s\n"
                     ":52A:%s\n:57A:%s\n"
                     ":59:/AT611904300234573201\n%s\nINDUSTRIEZEILE %u\n%s %s\n"
                     ":70:%s\n:71A:SHA\n-}",
                     b1, b2, ref, 1000 + ref % 500000, dn, 1 + ref % 90, 10000 + ref % 89999, towns[td][0],
                     towns[td][1], b1, b2, cn, 1 + ref % 70, towns[tc][0], towns[tc][1], rm);
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

static void xml_escape(const char *s, char *out, size_t cap) {
    size_t o = 0;
    for (; *s && o + 6 < cap; s++) {
        if (*s == '&') o += (size_t)snprintf(out + o, cap - o, "&amp;");
        else if (*s == '<') o += (size_t)snprintf(out + o, cap - o, "&lt;");
        else if (*s == '>') o += (size_t)snprintf(out + o, cap - o, "&gt;");
        else out[o++] = *s;
    }
    out[o] = 0;
}

static size_t make_pacs008(gen *g, char *out, size_t cap) {
    char raw[256], dn[300], cn[300], un[300], rm[300];
    party_name(g, raw, sizeof raw);
    xml_escape(raw, dn, sizeof dn);
    party_name(g, raw, sizeof raw);
    xml_escape(raw, cn, sizeof cn);
    int ult = bv_rand(&g->seed) % 3 == 0;
    if (ult) {
        party_name(g, raw, sizeof raw);
        xml_escape(raw, un, sizeof un);
    }
    remittance(g, raw, sizeof raw, 0);
    xml_escape(raw, rm, sizeof rm);
    size_t td = bv_rand(&g->seed) % (sizeof towns / sizeof towns[0]);
    size_t tc = bv_rand(&g->seed) % (sizeof towns / sizeof towns[0]);
    size_t tu = bv_rand(&g->seed) % (sizeof towns / sizeof towns[0]);
    const char *b1 = bics[bv_rand(&g->seed) % (sizeof bics / sizeof bics[0])];
    const char *b2 = bics[bv_rand(&g->seed) % (sizeof bics / sizeof bics[0])];
    unsigned ref = bv_rand(&g->seed) % 1000000;
    char ud[800] = "";
    if (ult)
        snprintf(ud, sizeof ud,
                 "      <UltmtDbtr>\n        <Nm>%s</Nm>\n        <PstlAdr><StrtNm>Avenue %u</StrtNm><TwnNm>%s</TwnNm>"
                 "<Ctry>%s</Ctry></PstlAdr>\n      </UltmtDbtr>\n",
                 un, 1 + ref % 200, towns[tu][0], towns[tu][1]);
    int n = snprintf(
        out, cap,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\">\n"
        "  <FIToFICstmrCdtTrf>\n    <GrpHdr>\n      <MsgId>PX-%06u</MsgId>\n"
        "      <CreDtTm>2024-08-19T10:12:00+04:00</CreDtTm>\n      <NbOfTxs>1</NbOfTxs>\n"
        "      <SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>\n    </GrpHdr>\n    <CdtTrfTxInf>\n"
        "      <PmtId>\n        <InstrId>PX-%06u</InstrId>\n        <EndToEndId>E2E-%u</EndToEndId>\n"
        "      </PmtId>\n      <IntrBkSttlmAmt Ccy=\"EUR\">%u.00</IntrBkSttlmAmt>\n"
        "      <IntrBkSttlmDt>2024-08-19</IntrBkSttlmDt>\n      <ChrgBr>SHAR</ChrgBr>\n"
        "      <InstgAgt><FinInstnId><BICFI>%sXXX</BICFI></FinInstnId></InstgAgt>\n"
        "      <InstdAgt><FinInstnId><BICFI>%sXXX</BICFI></FinInstnId></InstdAgt>\n"
        "%s"
        "      <Dbtr>\n        <Nm>%s</Nm>\n        <PstlAdr><StrtNm>Street %u</StrtNm><TwnNm>%s</TwnNm>"
        "<Ctry>%s</Ctry></PstlAdr>\n      </Dbtr>\n"
        "      <DbtrAcct><Id><IBAN>AE070331234567890123456</IBAN></Id></DbtrAcct>\n"
        "      <DbtrAgt><FinInstnId><BICFI>%sXXX</BICFI></FinInstnId></DbtrAgt>\n"
        "      <CdtrAgt><FinInstnId><BICFI>%sXXX</BICFI></FinInstnId></CdtrAgt>\n"
        "      <Cdtr>\n        <Nm>%s</Nm>\n        <PstlAdr><StrtNm>Road %u</StrtNm><TwnNm>%s</TwnNm>"
        "<Ctry>%s</Ctry></PstlAdr>\n      </Cdtr>\n"
        "      <CdtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></CdtrAcct>\n"
        "      <RmtInf><Ustrd>%s</Ustrd></RmtInf>\n    </CdtTrfTxInf>\n  </FIToFICstmrCdtTrf>\n</Document>\n",
        ref, ref, ref * 7u, 1000 + ref % 500000, b1, b2, ud, dn, 1 + ref % 90, towns[td][0], towns[td][1], b1, b2,
        cn, 1 + ref % 70, towns[tc][0], towns[tc][1], rm);
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

int main(int argc, char **argv) {
    size_t nmsg = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 20000;
    if (nmsg < 100) nmsg = 100;
    cp_error err = {0};
    char eb[1200];
    double t0 = bench_wall_us();
    cp_load_opts lo = {0};
    cp_engine *e = cp_engine_load(&lo, &err);
    if (!e) {
        fprintf(stderr, "engine: %s\n", cp_error_format(&err, eb, sizeof eb));
        return 1;
    }
    cp_policy *p = cp_policy_load(argc > 2 ? argv[2] : CP_SOURCE_DIR "/data/policy/default.policy", &err);
    cp_screener *s = p ? cp_screener_new(e, p, NULL, &err) : NULL;
    if (!s) {
        fprintf(stderr, "screener: %s\n", cp_error_format(&err, eb, sizeof eb));
        return 1;
    }
    printf("load: %.0f ms (lists, index, goods and geo tables)\n", (bench_wall_us() - t0) / 1000);

    gen g = {e, NULL, 0, 4242};
    g.neg = calloc(100000, sizeof *g.neg);
    if (!g.neg) return 1;
    const char *shared = "/work/shared/data/opensanctions/yente/candidate_generation_benchmark";
    g.n_neg = bench_read_yente_negatives(shared, g.neg, 50000);
    printf("messages: %zu per format, all distinct; party names 15%% list names (as listed or varied), 85%% on no "
           "list (%s, syllable-made companies)\n",
           nmsg, g.n_neg ? "yente synthetic persons" : "syllable-made persons");

    double *pc = malloc(nmsg * sizeof *pc), *sc = malloc(nmsg * sizeof *sc), *tc = malloc(nmsg * sizeof *tc);
    double *tw = malloc(nmsg * sizeof *tw);
    char **msgs = calloc(nmsg, sizeof *msgs);
    size_t *lens = calloc(nmsg, sizeof *lens);
    if (!pc || !sc || !tc || !tw || !msgs || !lens) return 1;
    printf("%-9s %8s %8s %9s %9s %9s %9s %9s %10s %10s  %s\n", "format", "parse", "p99", "screen", "p99", "total",
           "p99", "wall p99", "msg/s CPU", "msg/s wall", "decisions PASS/REVIEW/BLOCK/error");
    for (int fmt = 0; fmt < 2; fmt++) {
        for (size_t i = 0; i < nmsg; i++) {
            char buf[8192];
            size_t n = fmt == 0 ? make_mt103(&g, buf, sizeof buf) : make_pacs008(&g, buf, sizeof buf);
            msgs[i] = malloc(n + 1);
            if (!msgs[i]) return 1;
            memcpy(msgs[i], buf, n + 1);
            lens[i] = n;
        }
        cp_msg_format f = fmt == 0 ? CP_MSG_MT : CP_MSG_MX;
        size_t dec[4] = {0, 0, 0, 0};
        /* warm-up (first messages only; they are measured again below) */
        for (size_t i = 0; i < 200 && i < nmsg; i++) {
            cp_request_list rl;
            cp_request_list_init(&rl);
            if (cp_msg_parse(f, msgs[i], lens[i], NULL, &rl, &err) == 0)
                for (size_t k = 0; k < rl.n; k++) cp_screen_result_free(cp_screen_request(s, rl.items[k], &err));
            cp_request_list_free(&rl);
        }
        double cpu_total = 0, wall_total = 0;
        for (size_t i = 0; i < nmsg; i++) {
            cp_request_list rl;
            cp_request_list_init(&rl);
            double w0 = bench_wall_us(), c0 = bench_cpu_us();
            int rc = cp_msg_parse(f, msgs[i], lens[i], NULL, &rl, &err);
            double c1 = bench_cpu_us();
            cp_decision d = CP_PASS;
            if (rc == 0)
                for (size_t k = 0; k < rl.n; k++) {
                    cp_screen_result *r = cp_screen_request(s, rl.items[k], &err);
                    if (!r) {
                        fprintf(stderr, "screen: %s\n", err.message);
                        return 1;
                    }
                    if (r->decision > d) d = r->decision;
                    cp_screen_result_free(r);
                }
            double c2 = bench_cpu_us(), w2 = bench_wall_us();
            cp_request_list_free(&rl);
            if (rc != 0 && getenv("BENCH_SCREEN_ERRORS"))
                fprintf(stderr, "message %zu: %s\n%s\n", i, cp_error_format(&err, eb, sizeof eb), msgs[i]);
            dec[rc == 0 ? (int)d : 3]++;
            pc[i] = c1 - c0;
            sc[i] = c2 - c1;
            tc[i] = c2 - c0;
            tw[i] = w2 - w0;
            cpu_total += c2 - c0;
            wall_total += w2 - w0;
        }
        bench_sort(pc, nmsg);
        bench_sort(sc, nmsg);
        bench_sort(tc, nmsg);
        bench_sort(tw, nmsg);
        printf("%-9s %8.1f %8.1f %9.1f %9.1f %9.1f %9.1f %9.1f %10.0f %10.0f  %zu/%zu/%zu/%zu\n",
               fmt == 0 ? "MT103" : "pacs.008", bench_pct(pc, nmsg, 0.5), bench_pct(pc, nmsg, 0.99), bench_pct(sc, nmsg, 0.5),
               bench_pct(sc, nmsg, 0.99), bench_pct(tc, nmsg, 0.5), bench_pct(tc, nmsg, 0.99), bench_pct(tw, nmsg, 0.99),
               (double)nmsg / (cpu_total / 1e6), (double)nmsg / (wall_total / 1e6), dec[0], dec[1], dec[2], dec[3]);
        for (size_t i = 0; i < nmsg; i++) free(msgs[i]);
    }
    printf("(times in microseconds per message, thread CPU time; parse = cp_msg_parse, screen = cp_screen_request)\n");
    free(pc);
    free(sc);
    free(tc);
    free(tw);
    free(msgs);
    free(lens);
    for (size_t i = 0; i < g.n_neg; i++) free(g.neg[i]);
    free(g.neg);
    cp_screener_free(s);
    cp_policy_free(p);
    cp_engine_free(e);
    return 0;
}
