/*
 * The native scanner: one pass over a JSON manifest's bytes that certifies,
 * without building Python objects, the file's structure and each item that
 * certainly passes every item rule.
 *
 * It accepts only what the Python rules' own fast paths call plain (the same
 * URL grammar as rules/urls.py's _PLAIN_URL, the same title, item and metadata
 * conditions), and every fact it checks against (kinds, extensions, MIME types,
 * limits, placeholder hints) is handed over by manifest_tools/native.py from
 * kinds.py and the rules, so nothing here is a second copy of the catalogue.
 *
 * An item it cannot certify, however harmless, is skipped as valid JSON and
 * left to the Python rules (rules/certified.py). Anything that is not local to
 * one item (invalid JSON, a duplicate key, an unknown top-level key, a repeated
 * URL or title, too many doubtful items) makes it answer "not certified" with a reason,
 * and the caller runs the full Python lint. A wrong certificate would hide a
 * mistake, so tests/native lints generated near-miss manifests with and
 * without the scanner and requires equal reports.
 *
 * It returns per-item columns (offsets, URL counts, file sizes, sequence and
 * certified flags), from which the limit rules count certified items, and the
 * first URL of each (host, first path segment) of certified items for the
 * integration rules.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KINDS 16
#define MAX_EXTENSIONS 64
#define MAX_FIELDS 16
#define MAX_MIMES 8
#define MAX_HINTS 32
#define SHORT_TEXT 48
#define MAX_DEPTH 64
#define MAX_GENERIC_KEYS 256
#define MAX_ORIGINS 256
#define MAX_NUMBER_CHARS 100
#define MAX_UNCERTIFIED 10000

typedef struct {
    char text[SHORT_TEXT];
    Py_ssize_t size;
} Short;

enum { VALUE_NUMBER = 0, VALUE_INTEGER = 1, VALUE_STRING = 2, VALUE_MIME = 3 };
enum { TITLE_PLAIN = 0, TITLE_EXTENSION = 1, TITLE_NIFTI = 2, TITLE_GROUP = 3 };

typedef struct {
    Short name;
    int type;
    int positive;
    int ranged;
    long long minimum, maximum;
    int is_file_size;
} Field;

typedef struct {
    int count;
    Short texts[MAX_HINTS];  /* lower case */
    uint32_t first[256];     /* bit i: hint i starts with this byte (either case) */
} Hints;

typedef struct {
    Short key;
    int multi_file;
    int has_create_video;
    int title_rule;
    int accepts_unowned;
    uint64_t allowed, sequence_allowed;
    int has_metadata;
    Short metadata_key;
    int field_count;
    Field fields[MAX_FIELDS];
} KindSpec;

static struct {
    int ready;
    int kind_count;
    KindSpec kinds[MAX_KINDS];
    int extension_count;
    Short extensions[MAX_EXTENSIONS];
    int mime_count[MAX_EXTENSIONS];
    Short mimes[MAX_EXTENSIONS][MAX_MIMES];
    uint64_t browser_limited;
    Hints url_hints;  /* URLs that may be placeholders or pre-signed */
    Hints text_hints; /* titles and metadata strings that may be placeholders */
    Py_ssize_t max_url_bytes, max_title_chars, max_file_name_chars, max_client_bytes;
} config;

/* ---------------------------------------------------------------- state */

typedef struct {
    int64_t *starts, *ends, *urls, *sizes;
    char *sequences, *certified;
    Py_ssize_t count, capacity;
    Py_ssize_t array_start, array_end;
} Column;

typedef struct {
    uint64_t *hashes; /* 0: empty */
    Py_ssize_t count, used;
} HashSet; /* hashes only: a repeat may be a collision (about 1 in 10^7 files at the limits), which
              only costs a full lint */

typedef struct {
    Py_ssize_t key_offset, key_size, url_offset, url_size;
} Origin;

typedef struct {
    const unsigned char *base, *p, *end;
    const char *reason;
    Py_ssize_t reason_at;
    Column columns[MAX_KINDS];
    HashSet urls, titles;
    Origin origins[MAX_ORIGINS];
    int origin_count;
    long long browser_limited;
    int skip_duplicates, upsert;
    Py_ssize_t *pending; /* (offset, size) of the URLs of the item being read */
    Py_ssize_t pending_count, pending_capacity;
    Py_ssize_t uncertified;
    int fatal;           /* the whole file needs the full lint, not just the current item */
    int memory_error;
} Scan;

typedef struct {
    const unsigned char *start, *end; /* the characters between the quotes */
    int escaped, ascii;
    Py_ssize_t chars;
} Str;

#define REJECT(s, why)                        \
    do {                                      \
        if ((s)->reason == NULL) {            \
            (s)->reason = (why);              \
            (s)->reason_at = (s)->p - (s)->base; \
        }                                     \
        return 0;                             \
    } while (0)

static unsigned char plain_char[256];    /* string bytes that need no attention */
static unsigned char path_char[256];     /* _PLAIN_URL's path set, '%' excluded */
static unsigned char host_char[256];     /* [a-z0-9.-] */

static void init_tables(void) {
    for (int c = 0x20; c < 0x80; c++) plain_char[c] = (c != '"' && c != '\\');
    const char *path = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~!$&'()*+,;=:@/-";
    for (const char *c = path; *c; c++) path_char[(unsigned char)*c] = 1;
    const char *host = "abcdefghijklmnopqrstuvwxyz0123456789.-";
    for (const char *c = host; *c; c++) host_char[(unsigned char)*c] = 1;
}

/* ---------------------------------------------------------------- JSON */

static int skip_blank(Scan *s) {
    const unsigned char *p = s->p, *end = s->end;
    while (p < end) {
        unsigned char c = *p;
        if (c == ' ' || c == '\n' || c == '\t') {
            p++;
        } else if (c == '\r') {
            /* a lone CR is a line break to some editors but not to our positions */
            if (p + 1 >= end || p[1] != '\n') {
                s->p = p;
                REJECT(s, "carriage return without line feed");
            }
            p += 2;
        } else {
            break;
        }
    }
    s->p = p;
    return 1;
}

static int hex_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int read_u_escape(const unsigned char *p, const unsigned char *end, unsigned *unit) {
    if (end - p < 4) return 0;
    unsigned value = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(p[i]);
        if (h < 0) return 0;
        value = value * 16 + (unsigned)h;
    }
    *unit = value;
    return 1;
}

/* One UTF-8 sequence starting at p (first byte >= 0x80); its length, or 0 if invalid. */
static int utf8_sequence(const unsigned char *p, const unsigned char *end, unsigned *code_point) {
    unsigned char c = p[0];
    int need;
    unsigned low = 0x80, high = 0xBF, value;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        value = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        value = c & 0x0F;
        if (c == 0xE0) low = 0xA0;
        if (c == 0xED) high = 0x9F; /* no encoded surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        value = c & 0x07;
        if (c == 0xF0) low = 0x90;
        if (c == 0xF4) high = 0x8F;
    } else {
        return 0;
    }
    if (end - p <= need) return 0;
    if (p[1] < low || p[1] > high) return 0;
    value = (value << 6) | (p[1] & 0x3F);
    for (int i = 2; i <= need; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        value = (value << 6) | (p[i] & 0x3F);
    }
    *code_point = value;
    return need + 1;
}

static int scan_string(Scan *s, Str *out) {
    const unsigned char *p = s->p + 1, *end = s->end;
    out->start = p;
    out->escaped = 0;
    out->ascii = 1;
    Py_ssize_t chars = 0;
    for (;;) {
        const unsigned char *run = p;
        while (p < end && plain_char[*p]) p++;
        chars += p - run;
        if (p >= end) {
            s->p = p;
            REJECT(s, "unterminated string");
        }
        unsigned char c = *p;
        if (c == '"') break;
        if (c == '\\') {
            out->escaped = 1;
            if (p + 1 >= end) {
                s->p = p;
                REJECT(s, "unterminated string");
            }
            unsigned char e = p[1];
            if (e == 'u') {
                unsigned unit;
                if (!read_u_escape(p + 2, end, &unit)) {
                    s->p = p;
                    REJECT(s, "invalid \\u escape");
                }
                p += 6;
                if (unit >= 0xDC00 && unit <= 0xDFFF) {
                    s->p = p;
                    REJECT(s, "lone low surrogate escape");
                }
                if (unit >= 0xD800 && unit <= 0xDBFF) {
                    unsigned low;
                    if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !read_u_escape(p + 2, end, &low) ||
                        low < 0xDC00 || low > 0xDFFF) {
                        s->p = p;
                        REJECT(s, "lone high surrogate escape");
                    }
                    p += 6;
                }
                if (unit >= 0x80) out->ascii = 0;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
                       e == 't') {
                p += 2;
            } else {
                s->p = p;
                REJECT(s, "invalid escape");
            }
            chars++;
            continue;
        }
        if (c < 0x20) {
            s->p = p;
            REJECT(s, "control character in string");
        }
        unsigned code_point;
        int size = utf8_sequence(p, end, &code_point);
        if (size == 0) {
            s->p = p;
            REJECT(s, "invalid UTF-8");
        }
        out->ascii = 0;
        p += size;
        chars++;
    }
    out->end = p;
    out->chars = chars;
    s->p = p + 1;
    return 1;
}

typedef struct {
    const unsigned char *start, *end;
    int integer, negative;
} Number;

static int scan_number(Scan *s, Number *out) {
    const unsigned char *p = s->p, *end = s->end;
    out->start = p;
    out->negative = 0;
    out->integer = 1;
    if (p < end && *p == '-') {
        out->negative = 1;
        p++;
    }
    if (p >= end || *p < '0' || *p > '9') REJECT(s, "invalid number");
    if (*p == '0') {
        p++;
    } else {
        while (p < end && *p >= '0' && *p <= '9') p++;
    }
    if (p < end && *p == '.') {
        out->integer = 0;
        p++;
        if (p >= end || *p < '0' || *p > '9') REJECT(s, "invalid number");
        while (p < end && *p >= '0' && *p <= '9') p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        out->integer = 0;
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p >= end || *p < '0' || *p > '9') REJECT(s, "invalid number");
        while (p < end && *p >= '0' && *p <= '9') p++;
    }
    if (p - out->start > MAX_NUMBER_CHARS) REJECT(s, "number too long");
    if (!out->integer) {
        /* 1e400 reads as infinity, which the reader reports (MT106): not certifiable. */
        char text[MAX_NUMBER_CHARS + 1];
        size_t length = (size_t)(p - out->start);
        memcpy(text, out->start, length);
        text[length] = '\0';
        if (!isfinite(strtod(text, NULL))) REJECT(s, "number overflows");
    }
    out->end = p;
    s->p = p;
    return 1;
}

static int scan_literal(Scan *s, const char *word, Py_ssize_t size) {
    if (s->end - s->p < size || memcmp(s->p, word, (size_t)size) != 0) REJECT(s, "invalid literal");
    s->p += size;
    return 1;
}

static int short_equals(const Short *a, const unsigned char *text, Py_ssize_t size) {
    return a->size == size && memcmp(a->text, text, (size_t)size) == 0;
}

static int scan_value(Scan *s, int depth, int client_top);

/* After the value of a member or element: ',' (more follow) or the closer. 1 = more, 0 = closed, -1 = bad. */
static int next_member(Scan *s, unsigned char closer) {
    if (!skip_blank(s)) return -1;
    if (s->p < s->end && *s->p == ',') {
        s->p++;
        if (!skip_blank(s)) return -1;
        return 1;
    }
    if (s->p < s->end && *s->p == closer) {
        s->p++;
        return 0;
    }
    s->reason = s->reason ? s->reason : "expected ',' or a closing bracket";
    s->reason_at = s->p - s->base;
    return -1;
}

/* A key string (no escapes, so raw bytes compare exactly) and its colon. */
static int scan_key(Scan *s, Str *key) {
    if (s->p >= s->end || *s->p != '"') REJECT(s, "expected a key");
    if (!scan_string(s, key)) return 0;
    if (key->escaped) REJECT(s, "escaped key");
    if (!skip_blank(s)) return 0;
    if (s->p >= s->end || *s->p != ':') REJECT(s, "expected ':'");
    s->p++;
    return skip_blank(s);
}

static int scan_object(Scan *s, int depth, int client_top) {
    const unsigned char *small_keys[2 * 32];
    const unsigned char **keys = small_keys;
    int count = 0, capacity = 32;
    s->p++;
    if (!skip_blank(s)) return 0;
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return 1;
    }
    int ok = 1;
    for (;;) {
        Str key;
        if (!scan_key(s, &key)) {
            ok = 0;
            break;
        }
        Py_ssize_t size = key.end - key.start;
        if (client_top && ((size == 7 && memcmp(key.start, "$encord", 7) == 0) ||
                           (size == 9 && memcmp(key.start, "keyframes", 9) == 0))) {
            s->reason = "clientMetadata key-frame block";
            ok = 0;
            break;
        }
        for (int i = 0; i < count; i++) {
            if (keys[2 * i + 1] - keys[2 * i] == size && memcmp(keys[2 * i], key.start, (size_t)size) == 0) {
                s->reason = "duplicate key";
                ok = 0;
                break;
            }
        }
        if (!ok) break;
        if (count == capacity) {
            if (capacity >= MAX_GENERIC_KEYS) {
                s->reason = "object with many keys";
                ok = 0;
                break;
            }
            const unsigned char **grown = PyMem_Malloc(sizeof(*grown) * 4 * (size_t)capacity);
            if (grown == NULL) {
                s->memory_error = 1;
                ok = 0;
                break;
            }
            memcpy(grown, keys, sizeof(*keys) * 2 * (size_t)count);
            if (keys != small_keys) PyMem_Free((void *)keys);
            keys = grown;
            capacity *= 2;
        }
        keys[2 * count] = key.start;
        keys[2 * count + 1] = key.end;
        count++;
        if (!scan_value(s, depth + 1, 0)) {
            ok = 0;
            break;
        }
        int more = next_member(s, '}');
        if (more < 0) {
            ok = 0;
            break;
        }
        if (more == 0) break;
    }
    if (keys != small_keys) PyMem_Free((void *)keys);
    if (!ok && s->reason_at == 0) s->reason_at = s->p - s->base;
    return ok;
}

static int scan_array(Scan *s, int depth) {
    s->p++;
    if (!skip_blank(s)) return 0;
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return 1;
    }
    for (;;) {
        if (!scan_value(s, depth + 1, 0)) return 0;
        int more = next_member(s, ']');
        if (more < 0) return 0;
        if (more == 0) return 1;
    }
}

static int scan_value(Scan *s, int depth, int client_top) {
    if (depth > MAX_DEPTH) REJECT(s, "deep nesting");
    if (s->p >= s->end) REJECT(s, "expected a value");
    Str text;
    Number number;
    switch (*s->p) {
        case '{':
            return scan_object(s, depth, client_top);
        case '[':
            return scan_array(s, depth);
        case '"':
            return scan_string(s, &text);
        case 't':
            return scan_literal(s, "true", 4);
        case 'f':
            return scan_literal(s, "false", 5);
        case 'n':
            return scan_literal(s, "null", 4);
        default:
            return scan_number(s, &number);
    }
}

/* ---------------------------------------------------------------- text rules */

/* Python's str.isspace() for a code point (what str.strip() removes). */
static int is_space(unsigned cp) {
    if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static int first_is_space(const Str *t) {
    unsigned cp = t->start[0];
    if (cp >= 0x80 && !utf8_sequence(t->start, t->end + 1, &cp)) return 1;
    return is_space(cp);
}

static int last_is_space(const Str *t) {
    const unsigned char *p = t->end - 1;
    while (p > t->start && (*p & 0xC0) == 0x80) p--;
    unsigned cp = *p;
    if (cp >= 0x80 && !utf8_sequence(p, t->end + 1, &cp)) return 1;
    return is_space(cp);
}

static int lower_equals(const unsigned char *text, Py_ssize_t size, const char *word) {
    Py_ssize_t n = (Py_ssize_t)strlen(word);
    if (size != n) return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = text[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        if (c != (unsigned char)word[i]) return 0;
    }
    return 1;
}

static int ends_with_lower(const unsigned char *text, Py_ssize_t size, const char *suffix) {
    Py_ssize_t n = (Py_ssize_t)strlen(suffix);
    return size >= n && lower_equals(text + size - n, n, suffix);
}

/* kinds.file_extension(): a lower-case extension, ".nii.gz" as one; "" when none. */
static void file_extension(const unsigned char *name, Py_ssize_t size, const unsigned char **ext, Py_ssize_t *ext_size) {
    *ext = name + size;
    *ext_size = 0;
    if (ends_with_lower(name, size, ".nii.gz")) {
        *ext = name + size - 6;
        *ext_size = 6;
        return;
    }
    const unsigned char *dot = NULL;
    for (const unsigned char *p = name + size; p > name; p--) {
        if (p[-1] == '.') {
            dot = p - 1;
            break;
        }
    }
    if (dot == NULL || dot == name || dot == name + size - 1) return;
    *ext = dot + 1;
    *ext_size = name + size - (dot + 1);
}

/* Index of a (case-insensitive) extension in config.extensions, or -1. */
static int extension_id(const unsigned char *ext, Py_ssize_t size) {
    if (size == 0 || size >= SHORT_TEXT) return -1;
    for (int i = 0; i < config.extension_count; i++) {
        if (lower_equals(ext, size, config.extensions[i].text)) return i;
    }
    return -1;
}

/* 1 when the text, lower-cased, contains one of the hints: one pass, comparing only where a hint's
   first byte stands. */
static int has_hint(const Hints *hints, const unsigned char *text, Py_ssize_t size) {
    for (Py_ssize_t i = 0; i < size; i++) {
        uint32_t candidates = hints->first[text[i]];
        while (candidates) {
            int j = __builtin_ctz(candidates);
            candidates &= candidates - 1;
            const Short *hint = &hints->texts[j];
            if (hint->size <= size - i && lower_equals(text + i, hint->size, hint->text)) return 1;
        }
    }
    return 0;
}

static int check_title(Scan *s, const KindSpec *kind, const Str *title) {
    if (title->escaped) REJECT(s, "escaped title");
    Py_ssize_t size = title->end - title->start;
    if (size == 0 || title->chars > config.max_title_chars) REJECT(s, "title length");
    if (first_is_space(title) || last_is_space(title)) REJECT(s, "title whitespace");
    if (has_hint(&config.text_hints, title->start, size))
        REJECT(s, "title may be a placeholder");
    const unsigned char *ext;
    Py_ssize_t ext_size;
    switch (kind->title_rule) {
        case TITLE_GROUP:
            if (memchr(title->start, '.', (size_t)size)) REJECT(s, "group title with a dot");
            return 1;
        case TITLE_EXTENSION:
            file_extension(title->start, size, &ext, &ext_size);
            if (ext_size == 0) REJECT(s, "title without extension");
            return 1;
        case TITLE_NIFTI:
            file_extension(title->start, size, &ext, &ext_size);
            if (!lower_equals(ext, ext_size, "nii") && !lower_equals(ext, ext_size, "nii.gz"))
                REJECT(s, "NIfTI title extension");
            return 1;
        default:
            return 1;
    }
}

/* ---------------------------------------------------------------- URLs */

static uint64_t hash_bytes(const unsigned char *p, Py_ssize_t size) {
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)size;
    while (size >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        h = (h ^ word) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
        p += 8;
        size -= 8;
    }
    uint64_t tail = 0;
    memcpy(&tail, p, (size_t)size);
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
    return h;
}

static int remember_origin(Scan *s, const unsigned char *url, Py_ssize_t size) {
    /* rules/urls.py _location_of: the URL up to the end of its first path segment */
    const unsigned char *host_end = memchr(url + 8, '/', (size_t)(size - 8));
    Py_ssize_t key_size = size;
    if (host_end != NULL) {
        const unsigned char *segment_end = memchr(host_end + 1, '/', (size_t)(url + size - host_end - 1));
        if (segment_end != NULL) key_size = segment_end - url;
    }
    for (int i = 0; i < s->origin_count; i++) {
        Origin *o = &s->origins[i];
        if (o->key_size == key_size && memcmp(s->base + o->key_offset, url, (size_t)key_size) == 0) return 1;
    }
    if (s->origin_count == MAX_ORIGINS) REJECT(s, "URLs in many buckets");
    Origin *o = &s->origins[s->origin_count++];
    o->key_offset = o->url_offset = url - s->base;
    o->key_size = key_size;
    o->url_size = size;
    return 1;
}

/* A URL the URL rules certainly accept; sets its extension's id (-1: none or unknown). */
static int check_url(Scan *s, const Str *value, int *ext_id) {
    if (value->escaped || !value->ascii) REJECT(s, "URL with escapes or non-ASCII");
    const unsigned char *url = value->start, *end = value->end;
    Py_ssize_t size = end - url;
    if (size > config.max_url_bytes) REJECT(s, "long URL");
    if (size < 9 || memcmp(url, "https://", 8) != 0) REJECT(s, "URL not https://");
    const unsigned char *p = url + 8;
    if (!host_char[*p] || *p == '.' || *p == '-') REJECT(s, "URL host");
    while (p < end && host_char[*p]) p++;
    if (p < end && *p == ':') {
        p++;
        const unsigned char *digits = p;
        while (p < end && *p >= '0' && *p <= '9') p++;
        if (p == digits) REJECT(s, "URL port");
    }
    if (p >= end || *p != '/') REJECT(s, "URL without path");
    const unsigned char *name = p + 1, *query = end;
    int in_query = 0;
    while (p < end) {
        unsigned char c = *p;
        if (path_char[c]) {
            if (c == '/' && !in_query) name = p + 1;
            p++;
        } else if (c == '%') {
            if (end - p < 3 || hex_value(p[1]) < 0 || hex_value(p[2]) < 0) REJECT(s, "URL percent escape");
            p += 3;
        } else if (c == '?') {
            if (!in_query) query = p;
            in_query = 1;
            p++;
        } else {
            REJECT(s, "URL character");
        }
    }
    if (end[-1] == '/') REJECT(s, "URL ends in '/'");
    if (has_hint(&config.url_hints, url, size)) REJECT(s, "URL may be a placeholder or pre-signed");
    Py_ssize_t name_size = query - name;
    if (name_size > config.max_file_name_chars) REJECT(s, "long file name");
    /* rules/files.py url_extension() decodes the name: an escape must not be able to change the
       extension, so none after the last dot, and for ".gz" none that could spell ".nii" before it */
    const unsigned char *ext;
    Py_ssize_t ext_size;
    file_extension(name, name_size, &ext, &ext_size);
    const unsigned char *percent = memchr(name, '%', (size_t)name_size);
    if (percent != NULL) {
        const unsigned char *dot = NULL;
        for (const unsigned char *q = query; q > name; q--) {
            if (q[-1] == '.') {
                dot = q - 1;
                break;
            }
        }
        int gz = dot != NULL && lower_equals(dot + 1, query - dot - 1, "gz");
        for (const unsigned char *q = name; q < query; q++) {
            if (*q == '%' && (dot == NULL || q > dot || (gz && q + 7 > dot)))
                REJECT(s, "percent escape near the extension");
        }
    }
    *ext_id = extension_id(ext, ext_size);
    return 1;
}

/* 1 if the hash was new to the set, 0 if it repeats one, -1 on memory error. */
static int remember_hash(HashSet *set, uint64_t hash) {
    if (hash == 0) hash = 1;
    if (2 * (set->used + 1) > set->count) {
        Py_ssize_t count = set->count ? 2 * set->count : (1 << 12);
        uint64_t *grown = PyMem_Calloc((size_t)count, sizeof(uint64_t));
        if (grown == NULL) return -1;
        for (Py_ssize_t i = 0; i < set->count; i++) {
            uint64_t old = set->hashes[i];
            if (old == 0) continue;
            Py_ssize_t j = (Py_ssize_t)(old & (uint64_t)(count - 1));
            while (grown[j] != 0) j = (j + 1) & (count - 1);
            grown[j] = old;
        }
        PyMem_Free(set->hashes);
        set->hashes = grown;
        set->count = count;
    }
    Py_ssize_t mask = set->count - 1, j = (Py_ssize_t)(hash & (uint64_t)mask);
    while (set->hashes[j] != 0) {
        if (set->hashes[j] == hash) return 0;
        j = (j + 1) & mask;
    }
    set->hashes[j] = hash;
    set->used++;
    return 1;
}

/* Remember a URL for the duplicate check; a repeat (or no memory) is fatal: the full lint reports it. */
static int remember_unique_url(Scan *s, const unsigned char *url, Py_ssize_t size) {
    int fresh = remember_hash(&s->urls, hash_bytes(url, size));
    if (fresh < 0) s->memory_error = 1;
    if (fresh == 0) {
        s->fatal = 1;
        s->p = url;
        REJECT(s, "duplicate URL");
    }
    return fresh > 0;
}

/* Remember a title for rules/titles.py's MT605: a title (or a hash collision) shared by two items is fatal. */
static int remember_unique_title(Scan *s, const Str *title) {
    if (title->escaped) {
        s->fatal = 1;
        s->p = title->start;
        REJECT(s, "escaped title");
    }
    if (title->end == title->start) return 1;
    int fresh = remember_hash(&s->titles, hash_bytes(title->start, title->end - title->start));
    if (fresh < 0) s->memory_error = 1;
    if (fresh == 0) {
        s->fatal = 1;
        s->p = title->start;
        REJECT(s, "duplicate title");
    }
    return fresh > 0;
}

static int extension_allowed(const KindSpec *kind, int ext_id, int sequence) {
    if (ext_id < 0) return kind->accepts_unowned;
    return ((sequence ? kind->sequence_allowed : kind->allowed) >> ext_id) & 1;
}

/* ---------------------------------------------------------------- items */

typedef struct {
    int url_count, sequence, first_ext, browser_limited;
    int64_t file_size;
    int not_allowed, not_in_sequence;
    const unsigned char *mime;
    Py_ssize_t mime_size;
} ItemFacts;

static int scan_metadata(Scan *s, const KindSpec *kind, ItemFacts *facts) {
    uint32_t seen = 0;
    s->p++;
    if (!skip_blank(s)) return 0;
    if (s->p < s->end && *s->p == '}') REJECT(s, "empty metadata block");
    for (;;) {
        Str key;
        if (!scan_key(s, &key)) return 0;
        int index = -1;
        for (int i = 0; i < kind->field_count; i++) {
            if (short_equals(&kind->fields[i].name, key.start, key.end - key.start)) {
                index = i;
                break;
            }
        }
        if (index < 0) REJECT(s, "metadata field");
        if (seen & (1u << index)) REJECT(s, "duplicate metadata field");
        seen |= 1u << index;
        const Field *field = &kind->fields[index];
        if (field->type == VALUE_STRING || field->type == VALUE_MIME) {
            Str text;
            if (s->p >= s->end || *s->p != '"') REJECT(s, "metadata string type");
            if (!scan_string(s, &text)) return 0;
            if (text.escaped || text.end == text.start || first_is_space(&text)) REJECT(s, "metadata string");
            if (field->type == VALUE_STRING &&
                has_hint(&config.text_hints, text.start, text.end - text.start))
                REJECT(s, "metadata string may be a placeholder");
            if (field->type == VALUE_MIME) {
                facts->mime = text.start;
                facts->mime_size = text.end - text.start;
            }
        } else {
            Number number;
            if (s->p >= s->end || (*s->p != '-' && (*s->p < '0' || *s->p > '9'))) REJECT(s, "metadata number type");
            if (!scan_number(s, &number)) return 0;
            char digits[MAX_NUMBER_CHARS + 1];
            size_t length = (size_t)(number.end - number.start);
            memcpy(digits, number.start, length);
            digits[length] = '\0';
            if (number.integer) {
                if (length > 18) REJECT(s, "large metadata number");
                long long value = strtoll(digits, NULL, 10);
                if (field->positive && value <= 0) REJECT(s, "metadata number not positive");
                if (field->ranged && (value < field->minimum || value > field->maximum))
                    REJECT(s, "metadata number out of range");
                if (field->is_file_size) facts->file_size = value;
            } else {
                if (field->type == VALUE_INTEGER) REJECT(s, "metadata integer written as a fraction");
                double value = strtod(digits, NULL);
                if (!isfinite(value)) REJECT(s, "metadata number not finite");
                if (field->positive && value <= 0) REJECT(s, "metadata number not positive");
                if (field->ranged && (value < (double)field->minimum || value > (double)field->maximum))
                    REJECT(s, "metadata number out of range");
            }
        }
        int more = next_member(s, '}');
        if (more < 0) return 0;
        if (more == 0) break;
    }
    if (seen != (1u << kind->field_count) - 1) REJECT(s, "metadata field missing");
    return 1;
}

static int push_pending(Scan *s, const unsigned char *url, Py_ssize_t size) {
    if (s->pending_count + 2 > s->pending_capacity) {
        Py_ssize_t capacity = s->pending_capacity ? 2 * s->pending_capacity : 64;
        Py_ssize_t *grown = PyMem_Realloc(s->pending, sizeof(Py_ssize_t) * (size_t)capacity);
        if (grown == NULL) {
            s->memory_error = 1;
            return 0;
        }
        s->pending = grown;
        s->pending_capacity = capacity;
    }
    s->pending[s->pending_count++] = url - s->base;
    s->pending[s->pending_count++] = size;
    return 1;
}

static int add_url(Scan *s, const KindSpec *kind, ItemFacts *facts) {
    Str value;
    int ext_id;
    if (s->p >= s->end || *s->p != '"') REJECT(s, "URL type");
    if (!scan_string(s, &value)) return 0;
    const unsigned char *after = s->p;
    s->p = value.start;
    if (!check_url(s, &value, &ext_id)) return 0;
    if (!push_pending(s, value.start, value.end - value.start)) return 0;
    s->p = after;
    if (facts->url_count == 0) facts->first_ext = ext_id;
    facts->url_count++;
    facts->not_allowed |= !extension_allowed(kind, ext_id, 0);
    facts->not_in_sequence |= !extension_allowed(kind, ext_id, 1);
    if (ext_id >= 0 && ((config.browser_limited >> ext_id) & 1)) facts->browser_limited++;
    return 1;
}

enum { SEEN_URL = 1, SEEN_TITLE = 2, SEEN_CLIENT = 4, SEEN_METADATA = 8, SEEN_CREATE_VIDEO = 16 };

static int is_key(const Str *key, const char *word, Py_ssize_t size) {
    return key->end - key->start == size && memcmp(key->start, word, (size_t)size) == 0;
}

/* "objectUrl_N" with N the next number, written without sign or leading zero. */
static int is_url_key(const Str *key, int expected) {
    Py_ssize_t size = key->end - key->start;
    if (size < 11 || size > 19 || memcmp(key->start, "objectUrl_", 10) != 0) return 0;
    const unsigned char *digits = key->start + 10;
    if (digits[0] == '0' && size > 11) return 0;
    long value = 0;
    for (const unsigned char *p = digits; p < key->end; p++) {
        if (*p < '0' || *p > '9') return 0;
        value = value * 10 + (*p - '0');
    }
    return value == expected;
}

static int grow_column(Scan *s, Column *column) {
    if (column->count < column->capacity) return 1;
    Py_ssize_t capacity = column->capacity ? 2 * column->capacity : 1024;
    int64_t *starts = PyMem_Realloc(column->starts, sizeof(int64_t) * (size_t)capacity);
    if (starts) column->starts = starts;
    int64_t *ends = PyMem_Realloc(column->ends, sizeof(int64_t) * (size_t)capacity);
    if (ends) column->ends = ends;
    int64_t *urls = PyMem_Realloc(column->urls, sizeof(int64_t) * (size_t)capacity);
    if (urls) column->urls = urls;
    int64_t *sizes = PyMem_Realloc(column->sizes, sizeof(int64_t) * (size_t)capacity);
    if (sizes) column->sizes = sizes;
    char *sequences = PyMem_Realloc(column->sequences, (size_t)capacity);
    if (sequences) column->sequences = sequences;
    char *certified = PyMem_Realloc(column->certified, (size_t)capacity);
    if (certified) column->certified = certified;
    if (!starts || !ends || !urls || !sizes || !sequences || !certified) {
        s->memory_error = 1;
        return 0;
    }
    column->capacity = capacity;
    return 1;
}

static int add_row(Scan *s, int kind_index, const unsigned char *start, const ItemFacts *facts, int certified) {
    Column *column = &s->columns[kind_index];
    if (!grow_column(s, column)) return 0;
    Py_ssize_t i = column->count++;
    column->starts[i] = start - s->base;
    column->ends[i] = s->p - s->base;
    column->urls[i] = facts->url_count;
    column->sizes[i] = facts->file_size;
    column->sequences[i] = (char)facts->sequence;
    column->certified[i] = (char)certified;
    return 1;
}

static int scan_item(Scan *s, int kind_index) {
    const KindSpec *kind = &config.kinds[kind_index];
    ItemFacts facts = {0, 0, -1, 0, 0, 0, 0, NULL, 0};
    const unsigned char *start = s->p;
    int seen = 0, create_video = -1;
    Str title = {NULL, NULL, 0, 1, 0};
    if (s->p >= s->end || *s->p != '{') REJECT(s, "item not an object");
    s->p++;
    if (!skip_blank(s)) return 0;
    if (s->p < s->end && *s->p == '}') REJECT(s, "empty item");
    for (;;) {
        Str key;
        if (!scan_key(s, &key)) return 0;
        if (!kind->multi_file && is_key(&key, "objectUrl", 9)) {
            if (seen & SEEN_URL) REJECT(s, "duplicate objectUrl");
            seen |= SEEN_URL;
            if (!add_url(s, kind, &facts)) return 0;
        } else if (kind->multi_file && is_url_key(&key, facts.url_count)) {
            if (!add_url(s, kind, &facts)) return 0;
        } else if (is_key(&key, "title", 5)) {
            if (seen & SEEN_TITLE) REJECT(s, "duplicate title");
            seen |= SEEN_TITLE;
            if (s->p >= s->end || *s->p != '"') REJECT(s, "title type");
            if (!scan_string(s, &title)) return 0;
            if (!check_title(s, kind, &title)) return 0;
        } else if (is_key(&key, "clientMetadata", 14)) {
            if (seen & SEEN_CLIENT) REJECT(s, "duplicate clientMetadata");
            seen |= SEEN_CLIENT;
            if (s->p >= s->end || *s->p != '{') REJECT(s, "clientMetadata type");
            const unsigned char *block = s->p;
            if (!scan_object(s, 2, 1)) return 0;
            if (s->p - block > config.max_client_bytes) REJECT(s, "large clientMetadata");
        } else if (kind->has_metadata && short_equals(&kind->metadata_key, key.start, key.end - key.start)) {
            if (seen & SEEN_METADATA) REJECT(s, "duplicate metadata block");
            seen |= SEEN_METADATA;
            if (s->p >= s->end || *s->p != '{') REJECT(s, "metadata type");
            if (!scan_metadata(s, kind, &facts)) return 0;
        } else if (kind->has_create_video && is_key(&key, "createVideo", 11)) {
            if (seen & SEEN_CREATE_VIDEO) REJECT(s, "duplicate createVideo");
            seen |= SEEN_CREATE_VIDEO;
            if (s->p < s->end && *s->p == 't') {
                if (!scan_literal(s, "true", 4)) return 0;
                create_video = 1;
            } else {
                if (!scan_literal(s, "false", 5)) return 0;
                create_video = 0;
            }
        } else {
            REJECT(s, "item field");
        }
        int more = next_member(s, '}');
        if (more < 0) return 0;
        if (more == 0) break;
    }
    if (facts.url_count == 0) REJECT(s, "item without URL");
    if (kind->multi_file && !(seen & SEEN_TITLE)) REJECT(s, "group without title");
    if (kind->has_create_video && create_video < 0) REJECT(s, "image group without createVideo");
    facts.sequence = create_video == 1;
    if (facts.sequence ? facts.not_in_sequence : facts.not_allowed) REJECT(s, "extension not listed for the kind");
    if (facts.mime != NULL) {
        int ok = 0;
        if (facts.first_ext >= 0) {
            for (int i = 0; i < config.mime_count[facts.first_ext]; i++) {
                if (short_equals(&config.mimes[facts.first_ext][i], facts.mime, facts.mime_size)) ok = 1;
            }
        }
        if (!ok) REJECT(s, "mimeType does not match the extension");
    }
    /* certified: only now do its URLs and title count for the whole-file checks */
    if ((seen & SEEN_TITLE) && !remember_unique_title(s, &title)) return 0;
    for (Py_ssize_t i = 0; i < s->pending_count; i += 2) {
        const unsigned char *url = s->base + s->pending[i];
        if (!remember_unique_url(s, url, s->pending[i + 1])) return 0;
        if (!remember_origin(s, url, s->pending[i + 1])) {
            s->fatal = 1;
            return 0;
        }
    }
    s->browser_limited += facts.browser_limited;
    return add_row(s, kind_index, start, &facts, 1);
}

/* After an item the scanner cannot certify was skipped: its URL and title strings still join the
   duplicate checks (the full lint will read this item, but not the certified ones it might repeat). */
static int remember_uncertified_urls(Scan *s, const unsigned char *start) {
    const unsigned char *end = s->p;
    if (*start != '{') return 1;
    s->p = start + 1;
    if (!skip_blank(s)) return 0;
    while (s->p < end && *s->p != '}') {
        Str key, value;
        if (!scan_key(s, &key)) return 0;
        Py_ssize_t size = key.end - key.start;
        int url_key = (size == 9 && memcmp(key.start, "objectUrl", 9) == 0) ||
                      (size > 10 && memcmp(key.start, "objectUrl_", 10) == 0);
        if (size == 5 && memcmp(key.start, "title", 5) == 0 && *s->p == '"') {
            if (!scan_string(s, &value) || !remember_unique_title(s, &value)) return 0;
        } else if (url_key && *s->p == '"') {
            if (!scan_string(s, &value)) return 0;
            if (value.escaped) {
                s->p = value.start;
                REJECT(s, "escaped URL in an item that is not certified");
            }
            if (!remember_unique_url(s, value.start, value.end - value.start)) return 0;
        } else if (!scan_value(s, 2, 0)) {
            return 0;
        }
        if (next_member(s, '}') < 0) return 0;
    }
    s->p = end;
    return 1;
}

/* One element of a kind's array: certified, or skipped (as valid JSON) and left to the full lint. */
static int scan_element(Scan *s, int kind_index) {
    const unsigned char *start = s->p;
    s->pending_count = 0;
    if (scan_item(s, kind_index)) return 1;
    if (s->fatal || s->memory_error) return 0;
    if (++s->uncertified > MAX_UNCERTIFIED) {
        s->fatal = 1;
        s->reason = "too many items to certify one by one";
        return 0;
    }
    s->reason = NULL;
    s->p = start;
    if (!scan_value(s, 2, 0) || !remember_uncertified_urls(s, start)) return 0;
    ItemFacts none = {0, 0, -1, 0, 0, 0, 0, NULL, 0};
    return add_row(s, kind_index, start, &none, 0);
}

static int scan_items(Scan *s, int kind_index) {
    Column *column = &s->columns[kind_index];
    if (s->p >= s->end || *s->p != '[') REJECT(s, "kind not an array");
    column->array_start = s->p - s->base;
    s->p++;
    if (!skip_blank(s)) return 0;
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        column->array_end = s->p - s->base;
        return 1;
    }
    for (;;) {
        if (!scan_element(s, kind_index)) return 0;
        int more = next_member(s, ']');
        if (more < 0) return 0;
        if (more == 0) {
            column->array_end = s->p - s->base;
            return 1;
        }
    }
}

static int scan_flag(Scan *s, int *flag) {
    if (s->p < s->end && *s->p == 't') {
        *flag = 1;
        return scan_literal(s, "true", 4);
    }
    *flag = 0;
    return scan_literal(s, "false", 5);
}

static int scan_manifest(Scan *s) {
    uint32_t seen = 0;
    if (!skip_blank(s)) return 0;
    if (s->p >= s->end || *s->p != '{') REJECT(s, "top level not an object");
    s->p++;
    if (!skip_blank(s)) return 0;
    if (s->p < s->end && *s->p == '}') REJECT(s, "empty manifest");
    for (;;) {
        Str key;
        if (!scan_key(s, &key)) return 0;
        Py_ssize_t size = key.end - key.start;
        int index = -1;
        for (int i = 0; i < config.kind_count; i++) {
            if (short_equals(&config.kinds[i].key, key.start, size)) index = i;
        }
        if (index < 0) {
            if (is_key(&key, "skip_duplicate_urls", 19)) index = MAX_KINDS;
            else if (is_key(&key, "upsert_metadata", 15)) index = MAX_KINDS + 1;
            else if (is_key(&key, "$schema", 7)) index = MAX_KINDS + 2;
            else REJECT(s, "top-level key");
        }
        if (seen & (1u << index)) REJECT(s, "duplicate top-level key");
        seen |= 1u << index;
        int ok;
        if (index < MAX_KINDS) ok = scan_items(s, index);
        else if (index == MAX_KINDS) ok = scan_flag(s, &s->skip_duplicates);
        else if (index == MAX_KINDS + 1) ok = scan_flag(s, &s->upsert);
        else {
            Str text;
            if (s->p >= s->end || *s->p != '"') REJECT(s, "$schema type");
            ok = scan_string(s, &text);
        }
        if (!ok) return 0;
        int more = next_member(s, '}');
        if (more < 0) return 0;
        if (more == 0) break;
    }
    if (!skip_blank(s)) return 0;
    if (s->p != s->end) REJECT(s, "text after the top-level object");
    if (s->upsert && !s->skip_duplicates) REJECT(s, "upsert_metadata without skip_duplicate_urls");
    Py_ssize_t items = 0;
    for (int i = 0; i < config.kind_count; i++) items += s->columns[i].count;
    if (items == 0) REJECT(s, "no items");
    return 1;
}

/* ---------------------------------------------------------------- Python interface */

static void release(Scan *s) {
    for (int i = 0; i < MAX_KINDS; i++) {
        Column *c = &s->columns[i];
        PyMem_Free(c->starts);
        PyMem_Free(c->ends);
        PyMem_Free(c->urls);
        PyMem_Free(c->sizes);
        PyMem_Free(c->sequences);
        PyMem_Free(c->certified);
    }
    PyMem_Free(s->urls.hashes);
    PyMem_Free(s->titles.hashes);
    PyMem_Free(s->pending);
}

static PyObject *column_bytes(const void *data, Py_ssize_t size) {
    return PyBytes_FromStringAndSize(size ? (const char *)data : "", size);
}

static PyObject *summary(Scan *s) {
    PyObject *columns = PyList_New(0), *origins = PyList_New(0), *result = NULL;
    if (columns == NULL || origins == NULL) goto done;
    for (int i = 0; i < config.kind_count; i++) {
        Column *c = &s->columns[i];
        if (c->count == 0 && c->array_end == 0) continue;
        Py_ssize_t n = c->count, wide = n * (Py_ssize_t)sizeof(int64_t);
        PyObject *row = Py_BuildValue("(innNNNNNN)", i, c->array_start, c->array_end, column_bytes(c->starts, wide),
                                      column_bytes(c->ends, wide), column_bytes(c->urls, wide),
                                      column_bytes(c->sizes, wide), column_bytes(c->sequences, n),
                                      column_bytes(c->certified, n));
        if (row == NULL || PyList_Append(columns, row) < 0) {
            Py_XDECREF(row);
            goto done;
        }
        Py_DECREF(row);
    }
    for (int i = 0; i < s->origin_count; i++) {
        Origin *o = &s->origins[i];
        PyObject *url = PyUnicode_DecodeASCII((const char *)s->base + o->url_offset, o->url_size, "strict");
        if (url == NULL || PyList_Append(origins, url) < 0) {
            Py_XDECREF(url);
            goto done;
        }
        Py_DECREF(url);
    }
    result = Py_BuildValue("(OOL)", columns, origins, s->browser_limited);
done:
    Py_XDECREF(columns);
    Py_XDECREF(origins);
    return result;
}

static PyObject *scan(PyObject *module, PyObject *argument) {
    (void)module;
    if (!config.ready) {
        PyErr_SetString(PyExc_RuntimeError, "_scan.configure() has not been called");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(argument, &view, PyBUF_SIMPLE) < 0) return NULL;
    Scan *s = PyMem_Calloc(1, sizeof(Scan));
    if (s == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    s->base = s->p = view.buf;
    s->end = s->base + view.len;
    int ok = scan_manifest(s);
    PyObject *result;
    if (s->memory_error) {
        result = PyErr_NoMemory();
    } else if (ok) {
        result = summary(s);
    } else {
        result = PyUnicode_FromFormat("%s at byte %zd", s->reason ? s->reason : "not plain", s->reason_at);
    }
    release(s);
    PyMem_Free(s);
    PyBuffer_Release(&view);
    return result;
}

/* Copy a bytes object into a Short; 0 (with an exception) when it does not fit. */
static int to_short(PyObject *value, Short *out) {
    char *text;
    Py_ssize_t size;
    if (PyBytes_AsStringAndSize(value, &text, &size) < 0) return 0;
    if (size >= SHORT_TEXT) {
        PyErr_Format(PyExc_ValueError, "%R is too long for the scanner", value);
        return 0;
    }
    memcpy(out->text, text, (size_t)size);
    out->text[size] = '\0';
    out->size = size;
    return 1;
}

static int parse_field(PyObject *tuple, Field *field) {
    PyObject *name;
    if (!PyArg_ParseTuple(tuple, "Siipp(LL)", &name, &field->type, &field->positive, &field->ranged,
                          &field->is_file_size, &field->minimum, &field->maximum))
        return 0;
    return to_short(name, &field->name);
}

static int parse_kind(PyObject *tuple, KindSpec *kind) {
    PyObject *key, *metadata_key, *fields;
    unsigned long long allowed, sequence_allowed;
    if (!PyArg_ParseTuple(tuple, "SppippKKSO!", &key, &kind->multi_file, &kind->has_create_video, &kind->title_rule,
                          &kind->accepts_unowned, &kind->has_metadata, &allowed, &sequence_allowed, &metadata_key,
                          &PyTuple_Type, &fields))
        return 0;
    kind->allowed = allowed;
    kind->sequence_allowed = sequence_allowed;
    if (!to_short(key, &kind->key) || !to_short(metadata_key, &kind->metadata_key)) return 0;
    Py_ssize_t count = PyTuple_GET_SIZE(fields);
    if (count > MAX_FIELDS) {
        PyErr_SetString(PyExc_ValueError, "too many metadata fields");
        return 0;
    }
    kind->field_count = (int)count;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (!parse_field(PyTuple_GET_ITEM(fields, i), &kind->fields[i])) return 0;
    }
    return 1;
}

/* Lower-case, non-empty hints and the table of their first bytes. */
static int parse_hints(PyObject *tuple, Hints *hints) {
    memset(hints, 0, sizeof(*hints));
    hints->count = (int)PyTuple_GET_SIZE(tuple);
    for (int i = 0; i < hints->count; i++) {
        Short *hint = &hints->texts[i];
        if (!to_short(PyTuple_GET_ITEM(tuple, i), hint)) return 0;
        if (hint->size == 0) {
            PyErr_SetString(PyExc_ValueError, "empty hint");
            return 0;
        }
        unsigned char first = (unsigned char)hint->text[0];
        if (first >= 'A' && first <= 'Z') {
            PyErr_SetString(PyExc_ValueError, "hints must be lower case");
            return 0;
        }
        hints->first[first] |= 1u << i;
        if (first >= 'a' && first <= 'z') hints->first[first - 32] |= 1u << i;
    }
    return 1;
}

static PyObject *configure(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *kinds, *extensions, *mimes, *hints, *text_hints;
    unsigned long long browser_limited;
    config.ready = 0;
    if (!PyArg_ParseTuple(args, "O!O!O!KO!O!(nnnn)", &PyTuple_Type, &kinds, &PyTuple_Type, &extensions, &PyTuple_Type,
                          &mimes, &browser_limited, &PyTuple_Type, &hints, &PyTuple_Type, &text_hints,
                          &config.max_url_bytes,
                          &config.max_title_chars, &config.max_file_name_chars, &config.max_client_bytes))
        return NULL;
    if (PyTuple_GET_SIZE(kinds) > MAX_KINDS || PyTuple_GET_SIZE(extensions) > MAX_EXTENSIONS ||
        PyTuple_GET_SIZE(mimes) != PyTuple_GET_SIZE(extensions) || PyTuple_GET_SIZE(hints) > MAX_HINTS ||
        PyTuple_GET_SIZE(text_hints) > MAX_HINTS) {
        PyErr_SetString(PyExc_ValueError, "scanner configuration too large");
        return NULL;
    }
    config.kind_count = (int)PyTuple_GET_SIZE(kinds);
    for (int i = 0; i < config.kind_count; i++) {
        if (!parse_kind(PyTuple_GET_ITEM(kinds, i), &config.kinds[i])) return NULL;
    }
    config.extension_count = (int)PyTuple_GET_SIZE(extensions);
    for (int i = 0; i < config.extension_count; i++) {
        if (!to_short(PyTuple_GET_ITEM(extensions, i), &config.extensions[i])) return NULL;
        PyObject *accepted = PyTuple_GET_ITEM(mimes, i);
        if (!PyTuple_Check(accepted) || PyTuple_GET_SIZE(accepted) > MAX_MIMES) {
            PyErr_SetString(PyExc_ValueError, "MIME types must be short tuples");
            return NULL;
        }
        config.mime_count[i] = (int)PyTuple_GET_SIZE(accepted);
        for (int j = 0; j < config.mime_count[i]; j++) {
            if (!to_short(PyTuple_GET_ITEM(accepted, j), &config.mimes[i][j])) return NULL;
        }
    }
    config.browser_limited = browser_limited;
    if (!parse_hints(hints, &config.url_hints) || !parse_hints(text_hints, &config.text_hints)) return NULL;
    config.ready = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "Hand over the facts of kinds.py (see manifest_tools/native.py)."},
    {"scan", scan, METH_O,
     "scan(data) -> (columns, origins, browser_limited) when the structure is certified, else the reason (str)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_scan",
    .m_doc = "The native manifest scanner (see manifest_tools/native.py).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__scan(void) {
    init_tables();
    return PyModule_Create(&module_definition);
}
