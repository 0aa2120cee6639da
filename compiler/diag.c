/*
 * diag.c - collecting, sorting and rendering diagnostics.
 *
 * The renderer prints the GNU-style header, the offending source line, and a
 * line with a caret under the start column followed by '~' up to the end of
 * the range (when the range stays on that line). Columns shown to the user
 * count characters, not bytes; tabs in the source are kept in the marker line
 * so the caret lines up in a terminal.
 */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = {"error", "warning", "note"};

void diag_init(Diags *d, Arena *a, const char *filename, const char *src, size_t len)
{
	memset(d, 0, sizeof *d);
	d->arena = a;
	d->filename = filename ? filename : "<input>";
	d->src = src;
	d->len = len;
}

int diag_add_file(Diags *d, const char *name, const char *src, size_t len)
{
	DiagFile *f = arena_alloc(d->arena, sizeof *f);
	f->name = name;
	f->src = src;
	f->len = len;
	ptrvec_push(d->arena, &d->files, f);
	return d->files.n;
}

const char *diag_file_name(const Diags *d, int file)
{
	if (file > 0 && file <= d->files.n)
		return ((const DiagFile *)d->files.items[file - 1])->name;
	return d->filename;
}

static Diag *copy_diag(Diags *d, const Diag *g, int file)
{
	Diag *c = arena_alloc(d->arena, sizeof *c);
	*c = *g;
	c->loc.file = file;
	c->msg = arena_strdup(d->arena, g->msg);
	c->seq = d->items.n + d->dropped;
	c->notes = c->next = NULL;
	Diag **tail = &c->notes;
	for (const Diag *n = g->notes; n; n = n->next) {
		Diag *cn = copy_diag(d, n, file);
		*tail = cn;
		tail = &cn->next;
	}
	return c;
}

void diag_merge(Diags *d, const Diags *from, int file)
{
	for (int i = 0; i < from->items.n; i++) {
		const Diag *g = from->items.items[i];
		if (g->level == DIAG_ERROR && d->errors >= DIAG_MAX_ERRORS) {
			d->dropped++;
			continue;
		}
		ptrvec_push(d->arena, &d->items, copy_diag(d, g, file));
		if (g->level == DIAG_ERROR)
			d->errors++;
		else
			d->warnings++;
	}
	d->dropped += from->dropped;
}

static Diag *new_diag(Diags *d, DiagLevel level, SrcLoc loc, const char *fmt, va_list ap)
{
	Diag *g = arena_alloc(d->arena, sizeof *g);
	g->level = level;
	g->loc = loc;
	g->msg = arena_vprintf(d->arena, fmt, ap);
	g->seq = d->items.n + d->dropped;
	return g;
}

Diag *diag_error(Diags *d, SrcLoc loc, const char *fmt, ...)
{
	if (d->errors >= DIAG_MAX_ERRORS) {
		d->dropped++;
		return NULL;
	}
	va_list ap;
	va_start(ap, fmt);
	Diag *g = new_diag(d, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
	ptrvec_push(d->arena, &d->items, g);
	d->errors++;
	return g;
}

Diag *diag_warning(Diags *d, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	Diag *g = new_diag(d, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
	ptrvec_push(d->arena, &d->items, g);
	d->warnings++;
	return g;
}

void diag_note(Diags *d, Diag *parent, SrcLoc loc, const char *fmt, ...)
{
	if (!parent)
		return;
	va_list ap;
	va_start(ap, fmt);
	Diag *g = new_diag(d, DIAG_NOTE, loc, fmt, ap);
	va_end(ap);
	Diag **tail = &parent->notes;
	while (*tail)
		tail = &(*tail)->next;
	*tail = g;
}

static int cmp_diag(const void *pa, const void *pb)
{
	const Diag *a = *(Diag *const *)pa, *b = *(Diag *const *)pb;
	if (a->loc.file != b->loc.file)
		return a->loc.file < b->loc.file ? -1 : 1;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diag_sort(Diags *d)
{
	if (d->items.n > 1)
		qsort(d->items.items, (size_t)d->items.n, sizeof(void *), cmp_diag);
}

const char *diag_line_text(const Diags *d, int line, size_t *len)
{
	return diag_file_line_text(d, 0, line, len);
}

const char *diag_file_line_text(const Diags *d, int file, int line, size_t *len)
{
	const char *src = d->src;
	size_t srclen = d->len;
	if (file > 0 && file <= d->files.n) {
		const DiagFile *f = d->files.items[file - 1];
		src = f->src;
		srclen = f->len;
	}
	const char *p = src, *end = src + srclen;
	for (int l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			p = end;
			break;
		}
		p = nl + 1;
	}
	if (p >= end && line > 1) {
		*len = 0;
		return p;
	}
	const char *e = p;
	while (e < end && *e != '\n' && *e != '\r')
		e++;
	*len = (size_t)(e - p);
	return p;
}

/* Number of UTF-8 characters in s[0..n). */
static int char_count(const char *s, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Appends the source line and the marker line for `loc` to out. */
static void render_source(Diags *d, const Diag *g, StrBuf *out);

static void render_one(Diags *d, const Diag *g, StrBuf *out)
{
	char *head;
	if (g->loc.line > 0) {
		size_t ll;
		const char *lt = diag_file_line_text(d, g->loc.file, g->loc.line, &ll);
		size_t col = (size_t)(g->loc.col < 0 ? 0 : g->loc.col);
		if (col > ll)
			col = ll;
		head = arena_printf(d->arena, "%s:%d:%d: %s: %s\n", diag_file_name(d, g->loc.file),
				    g->loc.line, char_count(lt, col) + 1, level_names[g->level],
				    g->msg);
	} else {
		head = arena_printf(d->arena, "%s: %s: %s\n", d->filename, level_names[g->level],
				    g->msg);
	}
	strbuf_put(d->arena, out, head, strlen(head));
	if (g->loc.line > 0)
		render_source(d, g, out);
}

static void render_source(Diags *d, const Diag *g, StrBuf *out)
{
	size_t ll;
	const char *lt = diag_file_line_text(d, g->loc.file, g->loc.line, &ll);
	if (ll == 0 && g->loc.col == 0) {
		return;
	}
	strbuf_put(d->arena, out, "    ", 4);
	strbuf_put(d->arena, out, lt, ll);
	strbuf_put(d->arena, out, "\n    ", 5);
	size_t col = (size_t)(g->loc.col < 0 ? 0 : g->loc.col);
	if (col > ll)
		col = ll;
	/* marker: keep tabs, one space per other character */
	for (size_t i = 0; i < col; i++) {
		unsigned char c = (unsigned char)lt[i];
		if ((c & 0xC0) == 0x80)
			continue;
		strbuf_put(d->arena, out, c == '\t' ? "\t" : " ", 1);
	}
	strbuf_put(d->arena, out, "^", 1);
	size_t end = col + 1;
	if (g->loc.end_line == g->loc.line && (size_t)g->loc.end_col > col)
		end = (size_t)g->loc.end_col;
	if (end > ll)
		end = ll;
	int tildes = end > col ? char_count(lt + col, end - col) - 1 : 0;
	for (int i = 0; i < tildes; i++)
		strbuf_put(d->arena, out, "~", 1);
	strbuf_put(d->arena, out, "\n", 1);
}

char *diag_render(Diags *d, const Diag *g)
{
	StrBuf out = {0};
	render_one(d, g, &out);
	for (const Diag *n = g->notes; n; n = n->next)
		render_one(d, n, &out);
	return out.s ? out.s : arena_strdup(d->arena, "");
}

/* Edit distance, giving up (returning max + 1) beyond max. */
int diag_edit_distance(const char *a, const char *b, int max)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	if (la - lb > max || lb - la > max || lb > 127)
		return max + 1;
	int row[128];
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int diag = row[0], best = i;
		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int up = row[j];
			int c = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < c)
				c = up + 1;
			if (row[j - 1] + 1 < c)
				c = row[j - 1] + 1;
			row[j] = c;
			diag = up;
			if (c < best)
				best = c;
		}
		if (best > max)
			return max + 1;
	}
	return row[lb];
}

int diag_suggest_limit(const char *name)
{
	int n = 1 + (int)strlen(name) / 4; /* a swap of two letters costs 2 */
	return n > 4 ? 4 : n;
}
