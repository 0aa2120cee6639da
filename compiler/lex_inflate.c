/*
 * lex_inflate.c - a small inflater for the generated Unicode tables.
 *
 * lex_unicode_data.c holds its tables deflated (Python's zlib, raw deflate)
 * and base64-encoded, which keeps the source small. Their only reader is
 * this decoder, so the front end needs no zlib (its sources are also
 * compiled on their own, for the fuzzer). It follows RFC 1951 and Mark
 * Adler's puff.c: the bits are read least significant first from the bytes
 * the base64 text decodes to, and each Huffman code is decoded by a lookup
 * table of its first bits, or one bit at a time from the counts of its
 * canonical code lengths when it is longer. All three block kinds
 * (stored, fixed and dynamic codes) are handled. Every length, distance and
 * table is checked, so a malformed stream only makes it return false.
 */
#include "lex_inflate.h"

#include <stdint.h>
#include <string.h>

#define MAXBITS	  15  /* longest code */
#define MAXLCODES 286 /* literal/length codes */
#define MAXDCODES 30  /* distance codes */
#define FIXLCODES 288 /* literal/length codes of the fixed code */
#define FASTBITS  9   /* codes up to this long are decoded by table */

typedef struct Inflate {
	const char *b64;	/* the next base64 group */
	signed char digit[256]; /* base64 digit values, -1 for other bytes */
	unsigned char group[3]; /* the bytes of the current group */
	int group_len, group_pos;
	uint32_t bitbuf; /* bits read but not used yet, next one lowest */
	int bitcnt;
	bool error; /* input ran out or was not base64 */
	unsigned char *out;
	size_t len, cap;
} Inflate;

/* A canonical Huffman code: how many codes of each length, and the symbols
 * ordered by code. */
typedef struct Huffman {
	short count[MAXBITS + 1];
	short symbol[FIXLCODES];
	uint16_t fast[1 << FASTBITS]; /* symbol | length << 9, 0 for longer codes */
} Huffman;

/* The next byte of input, or -1 at its end. */
static int next_byte(Inflate *s)
{
	if (s->group_pos == s->group_len) {
		uint32_t v = 0;
		int pad = 0;
		for (int i = 0; i < 4; i++) {
			unsigned char c = (unsigned char)s->b64[i];
			int d = c == '=' ? 0 : s->digit[c];
			if (d < 0 || (pad && c != '='))
				return -1; /* also stops at the NUL */
			pad += c == '=';
			v = v << 6 | (uint32_t)d;
		}
		s->b64 += 4;
		s->group[0] = (unsigned char)(v >> 16);
		s->group[1] = (unsigned char)(v >> 8);
		s->group[2] = (unsigned char)v;
		s->group_len = pad > 2 ? 0 : 3 - pad;
		s->group_pos = 0;
		if (s->group_len == 0)
			return -1;
	}
	return s->group[s->group_pos++];
}

/* The next `need` bits (at most 16); 0 with s->error set at the end. */
static unsigned bits(Inflate *s, int need)
{
	while (s->bitcnt < need) {
		int b = next_byte(s);
		if (b < 0) {
			s->error = true;
			return 0;
		}
		s->bitbuf |= (uint32_t)b << s->bitcnt;
		s->bitcnt += 8;
	}
	unsigned v = s->bitbuf & ((1u << need) - 1);
	s->bitbuf >>= need;
	s->bitcnt -= need;
	return v;
}

/* A byte from the bit buffer when it holds whole bytes (read ahead by
 * decode()), else from the input; -1 at the end. */
static int aligned_byte(Inflate *s)
{
	if (s->bitcnt >= 8) {
		int b = (int)(s->bitbuf & 0xFF);
		s->bitbuf >>= 8;
		s->bitcnt -= 8;
		return b;
	}
	return next_byte(s);
}

/* A block of stored bytes: LEN, its complement, then the bytes. */
static bool stored(Inflate *s)
{
	/* skip to a byte boundary */
	s->bitbuf >>= s->bitcnt % 8;
	s->bitcnt -= s->bitcnt % 8;
	unsigned len = bits(s, 16);
	unsigned nlen = bits(s, 16);
	if (s->error || len != (~nlen & 0xFFFF) || len > s->cap - s->len)
		return false;
	while (len--) {
		int b = aligned_byte(s);
		if (b < 0)
			return false;
		s->out[s->len++] = (unsigned char)b;
	}
	return true;
}

/* Decodes one symbol; -1 for a code that is not in h or at the end of the
 * input. Codes of up to FASTBITS bits are looked up in h->fast by the next
 * FASTBITS bits; longer ones are read a bit at a time, from their first,
 * and compared with the range of codes of each length. */
static int decode(Inflate *s, const Huffman *h)
{
	while (s->bitcnt <= 24 && s->bitcnt < FASTBITS) {
		int b = next_byte(s);
		if (b < 0)
			break;
		s->bitbuf |= (uint32_t)b << s->bitcnt;
		s->bitcnt += 8;
	}
	unsigned e = h->fast[s->bitbuf & ((1u << FASTBITS) - 1)];
	if (e && (int)(e >> 9) <= s->bitcnt) {
		s->bitbuf >>= e >> 9;
		s->bitcnt -= (int)(e >> 9);
		return (int)(e & 0x1FF);
	}
	int code = 0, first = 0, index = 0;
	for (int len = 1; len <= MAXBITS; len++) {
		code |= (int)bits(s, 1);
		if (s->error)
			return -1;
		int count = h->count[len];
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -1;
}

/* Builds the code of n symbols (n <= FIXLCODES) from their code lengths (0:
 * unused). False when the lengths ask for more codes than there are. */
static bool construct(Huffman *h, const short *length, int n)
{
	memset(h->count, 0, sizeof h->count);
	for (int sym = 0; sym < n; sym++)
		h->count[length[sym]]++;
	int left = 1;
	for (int len = 1; len <= MAXBITS; len++) {
		left = (left << 1) - h->count[len];
		if (left < 0)
			return false;
	}
	short offs[MAXBITS + 1];
	offs[1] = 0;
	for (int len = 1; len < MAXBITS; len++)
		offs[len + 1] = (short)(offs[len] + h->count[len]);
	for (int sym = 0; sym < n; sym++)
		if (length[sym] != 0)
			h->symbol[offs[length[sym]]++] = (short)sym;
	/* the lookup table: the codes are assigned in symbol order, and their
	 * bits come first-bit-first, so they index it reversed */
	memset(h->fast, 0, sizeof h->fast);
	int code = 0, index = 0;
	for (int len = 1; len <= FASTBITS; len++) {
		for (int i = 0; i < h->count[len]; i++, index++, code++) {
			unsigned rev = 0;
			for (int k = 0; k < len; k++)
				rev |= (unsigned)((code >> k) & 1) << (len - 1 - k);
			for (unsigned j = rev; j < (1u << FASTBITS); j += 1u << len)
				h->fast[j] = (uint16_t)(h->symbol[index] | len << 9);
		}
		code <<= 1;
	}
	return true;
}

/* The literals and length/distance pairs of a block, up to its end code. */
static bool codes(Inflate *s, const Huffman *lencode, const Huffman *distcode)
{
	static const short lbase[29] = {3,  4,	5,  6,	 7,   8,   9,	10,  11, 13,
					15, 17, 19, 23,	 27,  31,  35,	43,  51, 59,
					67, 83, 99, 115, 131, 163, 195, 227, 258};
	static const short lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
	static const short dbase[30] = {1,    2,    3,	  4,	 5,	7,    9,    13,
					17,   25,   33,	  49,	 65,	97,   129,  193,
					257,  385,  513,  769,	 1025,	1537, 2049, 3073,
					4097, 6145, 8193, 12289, 16385, 24577};
	static const short dext[30] = {0, 0, 0, 0, 1, 1, 2, 2,	3,  3,	4,  4,	5,  5,	6,
				       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
	for (;;) {
		int sym = decode(s, lencode);
		if (sym < 0 || s->error)
			return false;
		if (sym < 256) {
			if (s->len == s->cap)
				return false;
			s->out[s->len++] = (unsigned char)sym;
			continue;
		}
		if (sym == 256)
			return true;
		sym -= 257;
		if (sym >= 29)
			return false;
		size_t len = (size_t)lbase[sym] + bits(s, lext[sym]);
		int dsym = decode(s, distcode);
		if (dsym < 0 || dsym >= 30)
			return false;
		size_t dist = (size_t)dbase[dsym] + bits(s, dext[dsym]);
		if (s->error || dist > s->len || len > s->cap - s->len)
			return false;
		for (; len > 0; len--, s->len++)
			s->out[s->len] = s->out[s->len - dist];
	}
}

/* A block compressed with the fixed codes of RFC 1951 3.2.6. */
static bool fixed(Inflate *s)
{
	short lengths[FIXLCODES];
	Huffman lencode, distcode;
	for (int sym = 0; sym < FIXLCODES; sym++)
		lengths[sym] = sym < 144 ? 8 : sym < 256 ? 9 : sym < 280 ? 7 : 8;
	construct(&lencode, lengths, FIXLCODES);
	for (int sym = 0; sym < MAXDCODES; sym++)
		lengths[sym] = 5;
	construct(&distcode, lengths, MAXDCODES);
	return codes(s, &lencode, &distcode);
}

/* A block with its own codes, described by a code-length code (3.2.7). */
static bool dynamic(Inflate *s)
{
	static const short order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					11, 4,	12, 3, 13, 2, 14, 1, 15};
	short lengths[MAXLCODES + MAXDCODES];
	Huffman lencode, distcode;
	int nlen = (int)bits(s, 5) + 257;
	int ndist = (int)bits(s, 5) + 1;
	int ncode = (int)bits(s, 4) + 4;
	if (s->error || nlen > MAXLCODES || ndist > MAXDCODES)
		return false;
	memset(lengths, 0, sizeof lengths);
	for (int i = 0; i < ncode; i++)
		lengths[order[i]] = (short)bits(s, 3);
	if (!construct(&lencode, lengths, 19))
		return false;
	for (int i = 0; i < nlen + ndist;) {
		int sym = decode(s, &lencode);
		if (sym < 0 || s->error)
			return false;
		if (sym < 16) {
			lengths[i++] = (short)sym;
			continue;
		}
		short len = 0; /* the length to repeat */
		int repeat;
		if (sym == 16) {
			if (i == 0)
				return false;
			len = lengths[i - 1];
			repeat = 3 + (int)bits(s, 2);
		} else if (sym == 17) {
			repeat = 3 + (int)bits(s, 3);
		} else {
			repeat = 11 + (int)bits(s, 7);
		}
		if (i + repeat > nlen + ndist)
			return false;
		while (repeat--)
			lengths[i++] = len;
	}
	if (lengths[256] == 0)
		return false; /* no end-of-block code */
	if (!construct(&lencode, lengths, nlen) || !construct(&distcode, lengths + nlen, ndist))
		return false;
	return codes(s, &lencode, &distcode);
}

bool lex_inflate_base64(const char *b64, unsigned char *out, size_t size)
{
	Inflate s;
	memset(&s, 0, sizeof s);
	s.b64 = b64;
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	memset(s.digit, -1, sizeof s.digit);
	for (int i = 0; i < 64; i++)
		s.digit[(unsigned char)digits[i]] = (signed char)i;
	s.out = out;
	s.cap = size;
	bool last;
	do {
		last = bits(&s, 1);
		unsigned type = bits(&s, 2);
		bool ok = type == 0 ? stored(&s) : type == 1 ? fixed(&s) : type == 2 && dynamic(&s);
		if (!ok || s.error)
			return false;
	} while (!last);
	return s.len == size;
}
