// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Text for the HTML report: escaping what came from the target, and the
 * human forms of durations and counts.
 */
#include <string.h>

#include "html.h"

static void put_utf8(FILE *f, unsigned int cp)
{
	char b[4];

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
 * Length of the valid UTF-8 sequence at p (at most n bytes) and its code
 * point, or 0 when it is not one: overlong forms, surrogates and code points
 * past U+10FFFF are invalid too.
 */
static size_t utf8_decode(const unsigned char *p, size_t n, unsigned int *cp)
{
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		*cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		*cp = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		*cp = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xbf))
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	return len;
}

static bool is_hidden_control(unsigned int cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

void html_escape_n(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s)
		return;
	for (size_t i = 0; i < len && p[i];) {
		unsigned int cp;
		size_t n;

		if (p[i] < 0x80) {
			switch (p[i]) {
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
				fputc(p[i], f);
				break;
			case 0x7f:
				put_utf8(f, 0x2421); /* ␡ */
				break;
			default:
				if (p[i] < 0x20)
					put_utf8(f, 0x2400 + p[i]); /* ␀ .. ␟ */
				else
					fputc(p[i], f);
			}
			i++;
			continue;
		}
		n = utf8_decode(p + i, len - i, &cp);
		if (!n) {
			put_utf8(f, 0xfffd);
			i++;
		} else {
			if (is_hidden_control(cp))
				put_utf8(f, 0xfffd);
			else
				fwrite(p + i, 1, n, f);
			i += n;
		}
	}
}

void html_escape(FILE *f, const char *s)
{
	if (s)
		html_escape_n(f, s, strlen(s));
}

static const struct {
	double div;
	const char *unit;
} ns_units[] = { { 1e3, "\u00b5s" }, { 1e6, "ms" }, { 1e9, "s" } };

const char *html_fmt_ns_coarse(char *buf, size_t len, __u64 ns)
{
	int i;

	if (ns < 1000 || ns >= 59995000000ULL)
		return html_fmt_ns(buf, len, ns);
	for (i = 0; i < 2 && ns >= ns_units[i].div * 999.5; i++)
		;
	snprintf(buf, len, "%.0f %s", ns / ns_units[i].div, ns_units[i].unit);
	return buf;
}

const char *html_fmt_ns(char *buf, size_t len, __u64 ns)
{
	double v;
	int i;

	if (ns < 1000) {
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
		return buf;
	}
	if (ns >= 59995000000ULL) {
		__u64 s = (ns + 500000000ULL) / 1000000000ULL;

		if (s < 3600)
			snprintf(buf, len, "%llu min %02llu s", (unsigned long long)(s / 60),
				 (unsigned long long)(s % 60));
		else
			snprintf(buf, len, "%llu h %02llu min", (unsigned long long)(s / 3600),
				 (unsigned long long)(s % 3600 / 60));
		return buf;
	}
	/* pick the unit after rounding, so 999.96 µs reads 1.00 ms */
	for (i = 0; i < 2 && ns >= ns_units[i].div * 999.5; i++)
		;
	v = ns / ns_units[i].div;
	snprintf(buf, len, v < 9.995 ? "%.2f %s" : v < 99.95 ? "%.1f %s" : "%.0f %s", v,
		 ns_units[i].unit);
	return buf;
}

const char *html_fmt_count(char *buf, size_t len, __u64 n)
{
	char digits[32];
	size_t nd, o = 0;

	nd = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	for (size_t i = 0; i < nd && o + 2 < len; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}
