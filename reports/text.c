// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

size_t text_utf8_decode(const unsigned char *s, size_t left, unsigned int *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf; /* range of the second byte */
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xc2) /* continuation byte, or overlong 2-byte lead */
		return 0;
	if (c < 0xe0) {
		n = 2;
		*cp = c & 0x1f;
	} else if (c < 0xf0) {
		n = 3;
		*cp = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* UTF-16 surrogates */
	} else if (c < 0xf5) {
		n = 4;
		*cp = c & 0x07;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (left < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (i > 1 && (s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return n;
}

bool text_is_hidden_control(unsigned int cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

char *text_utf8_sanitize(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0, i = 0;
	char *out;

	len = s ? strnlen(s, len) : 0;
	/* worst case: every byte becomes a 3-byte replacement character */
	out = malloc(3 * len + 1);
	if (!out)
		return NULL;
	while (i < len) {
		unsigned int cp;
		size_t k = text_utf8_decode(u + i, len - i, &cp);

		if (k) {
			memcpy(out + n, s + i, k);
			n += k;
			i += k;
		} else {
			memcpy(out + n, TEXT_REPLACEMENT, 3);
			n += 3;
			i++;
		}
	}
	out[n] = '\0';
	return out;
}

static void put_utf8(FILE *f, unsigned int cp)
{
	char b[3];

	if (cp < 0x800) {
		b[0] = 0xc0 | (cp >> 6);
		b[1] = 0x80 | (cp & 0x3f);
		fwrite(b, 1, 2, f);
	} else {
		b[0] = 0xe0 | (cp >> 12);
		b[1] = 0x80 | ((cp >> 6) & 0x3f);
		b[2] = 0x80 | (cp & 0x3f);
		fwrite(b, 1, 3, f);
	}
}

/*
 * Walks s (at most len bytes, to its NUL) one character at a time: ASCII
 * goes to ascii(), a valid multi-byte character is written as it is unless
 * it is a hidden control, anything else becomes U+FFFD.
 */
static void escape_walk(FILE *f, const char *s, size_t len, void (*ascii)(FILE *, unsigned char, void *),
			void *arg)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s)
		return;
	for (size_t i = 0; i < len && p[i];) {
		unsigned int cp;
		size_t n = text_utf8_decode(p + i, strnlen(s + i, len - i), &cp);

		if (n == 1) {
			ascii(f, p[i], arg);
		} else if (!n || text_is_hidden_control(cp) || cp == 0xfffe || cp == 0xffff) {
			fputs(TEXT_REPLACEMENT, f);
			n = n ? n : 1;
		} else {
			fwrite(p + i, 1, n, f);
		}
		i += n;
	}
}

static void html_ascii(FILE *f, unsigned char c, void *arg)
{
	switch (c) {
	case '&':
		fputs("&amp;", f);
		break;
	case '<':
		fputs("&lt;", f);
		break;
	case '>':
		fputs("&gt;", f);
		break;
	case '"':
		fputs("&quot;", f);
		break;
	case '\'':
		fputs("&#39;", f);
		break;
	case '\t':
	case '\n':
		fputc(c, f);
		break;
	case 0x7f:
		put_utf8(f, 0x2421); /* ␡ */
		break;
	default:
		if (c < 0x20)
			put_utf8(f, 0x2400 + c); /* ␀ .. ␟ */
		else
			fputc(c, f);
	}
}

void text_html_escape_n(FILE *f, const char *s, size_t len)
{
	escape_walk(f, s, len, html_ascii, NULL);
}

void text_html_escape(FILE *f, const char *s)
{
	text_html_escape_n(f, s, SIZE_MAX);
}

static void xml_ascii(FILE *f, unsigned char c, void *arg)
{
	bool attr = *(bool *)arg;

	if (c == '&')
		fputs("&amp;", f);
	else if (c == '<')
		fputs("&lt;", f);
	else if (c == '>')
		fputs("&gt;", f);
	else if (c == '"')
		fputs("&quot;", f);
	else if (c == '\'')
		fputs("&apos;", f);
	else if (attr && (c == '\n' || c == '\t' || c == '\r'))
		fprintf(f, "&#%d;", c);
	else if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
		fputs(TEXT_REPLACEMENT, f);
	else
		fputc(c, f);
}

void text_xml_escape(FILE *f, const char *s, bool attr)
{
	escape_walk(f, s ? s : "", SIZE_MAX, xml_ascii, &attr);
}

static void md_ascii(FILE *f, unsigned char c, void *arg)
{
	if (c < 0x20 || c == 0x7f) {
		fputc(' ', f);
	} else if (strchr("\\`*_[]<>|#!~&()", c)) {
		fputc('\\', f);
		fputc(c, f);
	} else {
		fputc(c, f);
	}
}

void text_md_escape(FILE *f, const char *s)
{
	escape_walk(f, s ? s : "", SIZE_MAX, md_ascii, NULL);
}

static void terminal_ascii(FILE *f, unsigned char c, void *arg)
{
	fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
}

void text_terminal_put(FILE *f, const char *s, size_t len)
{
	escape_walk(f, s, len, terminal_ascii, NULL);
}
