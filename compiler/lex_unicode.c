/*
 * lex_unicode.c - Unicode character names (\N{...}) and NFKC normalisation.
 *
 * Names follow CPython 3.11's unicodedata _getcode(), which the
 * unicodeescape codec calls for \N{...}:
 *   - a name starting "HANGUL SYLLABLE " (in capitals) is a Hangul syllable:
 *     the short names of a leading consonant, a vowel and an optional
 *     trailing consonant, each the longest one that matches, in capitals;
 *   - a name starting "CJK UNIFIED IDEOGRAPH-" (in capitals) must end in 4
 *     or 5 hex digits (capitals) that are a unified ideograph;
 *   - any other name is looked up, ignoring ASCII case, among the character
 *     names and name aliases (named sequences are not accepted).
 * The name table is deflated in lex_unicode_data.c (see
 * tests/parse/gen_unicode.py for its format); the first lookup inflates it
 * (lex_inflate.c) and builds a hash table of the names, whose slots hold
 * record numbers. The records are prefix-coded, restarting every
 * LEX_NAMES_BLOCK records, so checking a slot decodes at most one block.
 *
 * lex_nfkc() is Unicode's NFKC (UAX #15), as unicodedata.normalize() does
 * it: the full compatibility decomposition of each character (Hangul
 * syllables algorithmically), canonical ordering of each run of combining
 * marks by combining class (a stable insertion sort), then canonical
 * composition of each starter with the following characters it is not
 * blocked from, skipping the composition exclusions, with Hangul L+V and
 * LV+T composed algorithmically. Its tables are inflated on first use too.
 *
 * Both sets of tables are loaded under pthread_once into static arrays and
 * are read-only afterwards.
 */
#include "lex_unicode.h"

#include "lex.h"
#include "lex_inflate.h"
#include "lex_unicode_data.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Hangul syllables (Unicode 3.12) ---- */

#define SBASE  0xAC00
#define LBASE  0x1100
#define VBASE  0x1161
#define TBASE  0x11A7
#define LCOUNT 19
#define VCOUNT 21
#define TCOUNT 28
#define NCOUNT (VCOUNT * TCOUNT)
#define SCOUNT (LCOUNT * NCOUNT)

/* The short names of the jamo (Jamo.txt), by column; IEUNG leads with "". */
static const char *const jamo_l[LCOUNT] = {"G",	 "GG", "N", "D",  "DD", "R", "M", "B", "BB", "S",
					   "SS", "",   "J", "JJ", "C",	"K", "T", "P", "H"};
static const char *const jamo_v[VCOUNT] = {"A",	  "AE", "YA", "YAE", "EO", "E",	 "YEO",
					   "YE",  "O",	"WA", "WAE", "OE", "YO", "U",
					   "WEO", "WE", "WI", "YU",  "EU", "YI", "I"};
static const char *const jamo_t[TCOUNT] = {
	"",   "G",  "GG", "GS", "N",  "NJ", "NH", "D",	"L", "LG", "LM", "LB", "LS", "LT",
	"LP", "LH", "M",  "B",	"BS", "S",  "SS", "NG", "J", "C",  "K",	 "T",  "P",  "H"};

/* CPython's find_syllable(): the longest short name in names[0..n) that
 * starts s[0..len) (the first of equal length); its index, or -1, and its
 * length in *used. */
static int find_jamo(const char *s, size_t len, const char *const *names, int n, size_t *used)
{
	int best = -1;
	size_t best_len = 0;
	for (int i = 0; i < n; i++) {
		size_t k = strlen(names[i]);
		if ((best >= 0 && k <= best_len) || k > len || memcmp(s, names[i], k) != 0)
			continue;
		best = i;
		best_len = k;
	}
	*used = best_len;
	return best;
}

/* "HANGUL SYLLABLE " has been matched; s[0..len) is the rest. */
static int hangul_syllable(const char *s, size_t len, unsigned *cp)
{
	size_t nl, nv, nt;
	int l = find_jamo(s, len, jamo_l, LCOUNT, &nl);
	int v = find_jamo(s + nl, len - nl, jamo_v, VCOUNT, &nv);
	int t = find_jamo(s + nl + nv, len - nl - nv, jamo_t, TCOUNT, &nt);
	if (l < 0 || v < 0 || t < 0 || nl + nv + nt != len)
		return 0;
	*cp = (unsigned)(SBASE + (l * VCOUNT + v) * TCOUNT + t);
	return 1;
}

/* "CJK UNIFIED IDEOGRAPH-" has been matched; s[0..len) is the rest. */
static int cjk_ideograph(const char *s, size_t len, unsigned *cp)
{
	if (len != 4 && len != 5)
		return 0;
	unsigned v = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	for (int i = 0; i < LEX_CJK_UNIFIED_COUNT; i++) {
		if (v >= lex_cjk_unified[i][0] && v <= lex_cjk_unified[i][1]) {
			*cp = v;
			return 1;
		}
	}
	return 0;
}

/* ---- the name table ---- */

#define NAMES_BLOCKS ((LEX_NAMES_COUNT + LEX_NAMES_BLOCK - 1) / LEX_NAMES_BLOCK)

static unsigned char names[LEX_NAMES_SIZE];
static uint32_t block_off[NAMES_BLOCKS];    /* where each block's first record starts */
static uint32_t block_cp[NAMES_BLOCKS];	    /* the code point of the record before it */
static uint16_t name_slots[LEX_NAMES_HASH]; /* record number + 1; 0 when empty */
static bool names_ok;
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

/* FNV-1a of the name, already in capitals. */
static uint32_t name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Decodes the record at names[*off] over the previous one: adds its delta to
 * *cp and rebuilds its name in buf (LEX_NAMES_MAX bytes, holding the previous
 * name, prev_len long). Returns the name's length, -1 when malformed. */
static int next_record(size_t *off, unsigned *cp, char *buf, int prev_len)
{
	size_t o = *off;
	uint32_t delta = 0;
	for (int shift = 0;; shift += 7) {
		if (o >= LEX_NAMES_SIZE || shift > 21)
			return -1;
		unsigned char b = names[o++];
		delta |= (uint32_t)(b & 0x7F) << shift;
		if (!(b & 0x80))
			break;
	}
	if (o >= LEX_NAMES_SIZE || names[o] > prev_len)
		return -1;
	int len = names[o++];
	for (; o < LEX_NAMES_SIZE && names[o]; o++) {
		if (len >= LEX_NAMES_MAX)
			return -1;
		buf[len++] = (char)names[o];
	}
	if (o >= LEX_NAMES_SIZE || *cp + delta > 0x10FFFF)
		return -1;
	*off = o + 1;
	*cp += delta;
	return len;
}

static void names_init(void)
{
	if (!lex_inflate_base64(lex_names_z, names, sizeof names))
		return;
	size_t off = 0;
	unsigned cp = 0;
	char buf[LEX_NAMES_MAX];
	int len = 0;
	for (unsigned i = 0; i < LEX_NAMES_COUNT; i++) {
		if (i % LEX_NAMES_BLOCK == 0) {
			block_off[i / LEX_NAMES_BLOCK] = (uint32_t)off;
			block_cp[i / LEX_NAMES_BLOCK] = cp;
			len = 0;
		}
		len = next_record(&off, &cp, buf, len);
		if (len < 0)
			return;
		uint32_t h = name_hash(buf, (size_t)len);
		size_t slot = h & (LEX_NAMES_HASH - 1);
		while (name_slots[slot])
			slot = (slot + 1) & (LEX_NAMES_HASH - 1);
		name_slots[slot] = (uint16_t)(i + 1);
	}
	names_ok = off == LEX_NAMES_SIZE;
}

/* Record number i: its name in buf (returns the length) and code point. */
static int record_at(unsigned i, char *buf, unsigned *cp)
{
	size_t off = block_off[i / LEX_NAMES_BLOCK];
	*cp = block_cp[i / LEX_NAMES_BLOCK];
	int len = 0;
	for (unsigned k = 0; k <= i % LEX_NAMES_BLOCK; k++)
		len = next_record(&off, cp, buf, len);
	return len;
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

int lex_unicode_lookup(const char *name, size_t len, unsigned *cp)
{
	static const char hangul[] = "HANGUL SYLLABLE ", cjk[] = "CJK UNIFIED IDEOGRAPH-";
	if (has_prefix(name, len, hangul))
		return hangul_syllable(name + strlen(hangul), len - strlen(hangul), cp);
	if (has_prefix(name, len, cjk))
		return cjk_ideograph(name + strlen(cjk), len - strlen(cjk), cp);
	if (len > LEX_NAMES_MAX)
		return 0;
	char upper[LEX_NAMES_MAX];
	for (size_t i = 0; i < len; i++)
		upper[i] = name[i] >= 'a' && name[i] <= 'z' ? (char)(name[i] - 32) : name[i];
	pthread_once(&names_once, names_init);
	if (!names_ok)
		return -1;
	for (size_t slot = name_hash(upper, len) & (LEX_NAMES_HASH - 1); name_slots[slot];
	     slot = (slot + 1) & (LEX_NAMES_HASH - 1)) {
		char buf[LEX_NAMES_MAX];
		unsigned c;
		int n = record_at(name_slots[slot] - 1u, buf, &c);
		if (n == (int)len && memcmp(buf, upper, len) == 0) {
			*cp = c;
			return 1;
		}
	}
	return 0;
}

/* ---- NFKC tables ---- */

_Static_assert(2 * LEX_NFKD_COUNT + 1 + LEX_NFKD_DATA + 2 * LEX_CCC_COUNT + 3 * LEX_COMP_COUNT ==
		       LEX_NFKC_WORDS,
	       "the NFKC tables' layout (gen_unicode.py)");

static uint32_t nfkc_words[LEX_NFKC_WORDS];
static const uint32_t *const nfkd_cp = nfkc_words;
static const uint32_t *const nfkd_off = nfkd_cp + LEX_NFKD_COUNT;
static const uint32_t *const nfkd_data = nfkd_off + LEX_NFKD_COUNT + 1;
static const uint32_t *const ccc_lo = nfkd_data + LEX_NFKD_DATA;
static const uint32_t *const ccc_hi = ccc_lo + LEX_CCC_COUNT; /* last | class << 24 */
static const uint32_t *const comp_first = ccc_hi + LEX_CCC_COUNT;
static const uint32_t *const comp_second = comp_first + LEX_COMP_COUNT;
static const uint32_t *const comp_result = comp_second + LEX_COMP_COUNT;
static bool nfkc_ok;
static pthread_once_t nfkc_once = PTHREAD_ONCE_INIT;

static void nfkc_init(void)
{
	/* four planes: the low bytes of all words, then the second bytes, ... */
	unsigned char *planes = malloc(4 * (size_t)LEX_NFKC_WORDS);
	if (!planes)
		return;
	if (lex_inflate_base64(lex_nfkc_z, planes, 4 * (size_t)LEX_NFKC_WORDS)) {
		for (size_t i = 0; i < LEX_NFKC_WORDS; i++)
			for (int b = 0; b < 4; b++)
				nfkc_words[i] |= (uint32_t)planes[(size_t)b * LEX_NFKC_WORDS + i]
						 << (8 * b);
		nfkc_ok = nfkd_off[LEX_NFKD_COUNT] == LEX_NFKD_DATA;
		for (size_t i = 0; i < LEX_NFKD_COUNT; i++)
			nfkc_ok &= nfkd_off[i] <= nfkd_off[i + 1];
	}
	free(planes);
}

/* The full decomposition of cp: its length (0 when cp is its own) and, but
 * for Hangul syllables (written to hangul[3]), where it is in *d. */
static size_t decomposition(uint32_t cp, const uint32_t **d, uint32_t *hangul)
{
	if (cp < 0xA0)
		return 0;
	if (cp >= SBASE && cp < SBASE + SCOUNT) {
		uint32_t s = cp - SBASE;
		hangul[0] = LBASE + s / NCOUNT;
		hangul[1] = VBASE + (s % NCOUNT) / TCOUNT;
		hangul[2] = TBASE + s % TCOUNT;
		*d = hangul;
		return hangul[2] == TBASE ? 2 : 3;
	}
	size_t lo = 0, hi = LEX_NFKD_COUNT;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < nfkd_cp[mid])
			hi = mid;
		else if (cp > nfkd_cp[mid])
			lo = mid + 1;
		else {
			*d = nfkd_data + nfkd_off[mid];
			return nfkd_off[mid + 1] - nfkd_off[mid];
		}
	}
	return 0;
}

static int combining_class(uint32_t cp)
{
	if (cp < 0x300)
		return 0;
	size_t lo = 0, hi = LEX_CCC_COUNT;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < ccc_lo[mid])
			hi = mid;
		else if (cp > (ccc_hi[mid] & 0xFFFFFF))
			lo = mid + 1;
		else
			return (int)(ccc_hi[mid] >> 24);
	}
	return 0;
}

/* The primary composite of a and b, or 0. */
static uint32_t compose(uint32_t a, uint32_t b)
{
	if (a >= LBASE && a < LBASE + LCOUNT && b >= VBASE && b < VBASE + VCOUNT)
		return SBASE + ((a - LBASE) * VCOUNT + (b - VBASE)) * TCOUNT;
	if (a >= SBASE && a < SBASE + SCOUNT && (a - SBASE) % TCOUNT == 0 && b > TBASE &&
	    b < TBASE + TCOUNT)
		return a + (b - TBASE);
	size_t lo = 0, hi = LEX_COMP_COUNT;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a < comp_first[mid] || (a == comp_first[mid] && b < comp_second[mid]))
			hi = mid;
		else if (a > comp_first[mid] || b > comp_second[mid])
			lo = mid + 1;
		else
			return comp_result[mid];
	}
	return 0;
}

/* ---- NFKC ---- */

/* Canonical ordering: sorts each run of non-starters by combining class,
 * keeping equal classes in order. */
static void canonical_order(uint32_t *c, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int cc = combining_class(c[i]);
		if (cc == 0)
			continue;
		uint32_t x = c[i];
		size_t j = i;
		while (j > 0) {
			int prev = combining_class(c[j - 1]);
			if (prev == 0 || prev <= cc)
				break;
			c[j] = c[j - 1];
			j--;
		}
		c[j] = x;
	}
}

/* Canonical composition in place; returns the new length. */
static size_t canonical_compose(uint32_t *c, size_t n)
{
	if (n == 0)
		return 0;
	size_t starter = 0, out = 1;
	/* The class of the last character kept: 0 when that is the starter
	 * itself, 256 when the text does not start with a starter. c[i] is not
	 * blocked from the starter when that class is lower than its own. */
	int last = combining_class(c[0]) ? 256 : 0;
	for (size_t i = 1; i < n; i++) {
		int cc = combining_class(c[i]);
		uint32_t comp = last < cc || last == 0 ? compose(c[starter], c[i]) : 0;
		if (comp) {
			c[starter] = comp;
			continue;
		}
		if (cc == 0)
			starter = out;
		last = cc;
		c[out++] = c[i];
	}
	return out;
}

static size_t put_utf8(char *o, uint32_t cp)
{
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

char *lex_nfkc(Arena *a, const char *s, size_t len)
{
	pthread_once(&nfkc_once, nfkc_init);
	if (!nfkc_ok)
		return NULL;
	const char *end = s + len;
	/* first pass: the decomposed length */
	size_t n = 0;
	for (const char *p = s; p < end;) {
		unsigned cp;
		const char *why;
		int k = lex_utf8_decode(p, end, &cp, &why);
		if (k <= 0)
			return arena_strndup(a, s, len);
		const uint32_t *d;
		uint32_t hangul[3];
		size_t m = decomposition(cp, &d, hangul);
		n += m ? m : 1;
		p += k;
	}
	uint32_t *c = arena_alloc(a, (n + 1) * sizeof *c);
	size_t i = 0;
	for (const char *p = s; p < end;) {
		unsigned cp;
		const char *why;
		p += lex_utf8_decode(p, end, &cp, &why);
		const uint32_t *d;
		uint32_t hangul[3];
		size_t m = decomposition(cp, &d, hangul);
		if (m) {
			memcpy(c + i, d, m * sizeof *d);
			i += m;
		} else {
			c[i++] = cp;
		}
	}
	canonical_order(c, n);
	n = canonical_compose(c, n);
	char *out = arena_alloc(a, 4 * n + 1);
	size_t o = 0;
	for (i = 0; i < n; i++)
		o += put_utf8(out + o, c[i]);
	out[o] = 0;
	return out;
}
