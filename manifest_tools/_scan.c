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
#define LINEAR_KEYS 16 /* objects with more keys find repeats by hash */
#define MAX_NUMBER_CHARS 100
#define MAX_SPELLINGS 8
#define KEY_BUFFER 64
#define MAX_FLAGGED_SCHEMES 8
enum {
    N_OBJECT_URL, N_OBJECT_URL_PREFIX, N_TITLE, N_CLIENT_METADATA, N_CREATE_VIDEO, N_ENCORD, N_KEYFRAMES,
    N_SKIP_DUPLICATES, N_UPSERT, N_SCHEMA, NAME_COUNT
}; /* an escaped key longer than this, decoded, is no key the scanner knows */

typedef struct {
    char text[SHORT_TEXT];
    Py_ssize_t size;
} Short;

enum { VALUE_NUMBER = 0, VALUE_INTEGER = 1, VALUE_STRING = 2, VALUE_MIME = 3 };
enum { TITLE_PLAIN = 0, TITLE_EXTENSION = 1, TITLE_NIFTI = 2, TITLE_GROUP = 3 };

typedef struct {
    Short name;
    Short snake; /* the documented snake_case spelling, empty when none */
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
    uint32_t second[256];    /* bit i: hint i has this second byte (either case), or only one byte */
    uint32_t single;         /* bit i: hint i is one byte long */
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
    uint32_t snake_fields;                  /* fields that have a snake_case spelling */
    int spelling_count;
    uint32_t spellings[MAX_SPELLINGS];      /* mixed spellings the rules accept (bit i: field i in snake_case) */
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
    Short names[NAME_COUNT]; /* item and top-level key names (kinds.py), in the order of the enum below */
    Short url_prefix;        /* the scheme part of rules/urls.py's plain URL grammar */
    int flagged_count;       /* schemes a URL rule flags with one finding and nothing else (rules/urls.py
                                FLAGGED_SCHEMES): such a URL, plain after its scheme, is certified and
                                its finding recorded */
    Short flagged[MAX_FLAGGED_SCHEMES];
} config;

#define NAME(i) (config.names[i].text)
#define NAME_SIZE(i) (config.names[i].size)

/* ---------------------------------------------------------------- state */

typedef struct {
    int64_t *starts, *ends, *urls, *sizes;
    char *sequences, *certified;
    Py_ssize_t count, capacity;
    Py_ssize_t array_start, array_end;
} Column;

typedef struct {
    uint64_t hash;  /* never 0 */
    int64_t owner;  /* the item (kind << 40 | index) that had the hash */
} Slot;

#define SHARED_BITS 12 /* buckets of the repeat check: a bucket's hashes fit in the cache */

typedef struct {
    Slot *slots; /* in the order met; repeats are found once the file is read (find_repeats) */
    Py_ssize_t count, capacity;
    Py_ssize_t buckets[1 << SHARED_BITS]; /* how many hashes have each value of the top bits */
} HashSet; /* hashes only: a repeat may be a collision, which only costs parsing two items in Python */

typedef struct {
    unsigned char *text; /* owned copy of the entry's key */
    Py_ssize_t size;
    unsigned char *url; /* owned copy (origins) */
    Py_ssize_t url_size;
    int64_t value[3];
} Entry;

typedef struct {
    Entry *entries;
    Py_ssize_t count, capacity;
    uint64_t *hashes; /* open addressing: hash, and entry index + 1 in slots */
    Py_ssize_t *slots;
    Py_ssize_t slot_count;
} Table; /* exact: keys are compared byte for byte */

typedef struct {
    int64_t *items;
    Py_ssize_t count, capacity;
} OwnerList;

typedef struct {
    int in_scratch;
    Py_ssize_t offset, size;
    uint64_t hash;
    int flagged;                      /* a URL's: 1 + its scheme's index in config.flagged, 0 for none */
    Py_ssize_t token_start, token_end; /* a URL's: byte span of its JSON string, quotes included */
} Pending;

typedef struct {
    const unsigned char *base, *p, *end;
    const char *reason;
    Py_ssize_t reason_at;
    Column columns[MAX_KINDS];
    HashSet urls, titles;
    Table origins; /* (host and first path segment, kind) -> first URL of a certified item */
    Table hosts;   /* host -> verdict of the Python host predicate (1 accepted, 2 refused) */
    Py_ssize_t last_origin, last_host; /* entry + 1 of the previous URL's: URLs come in runs of one folder */
    OwnerList demoted; /* items that share a URL or title with another: the Python rules read them */
    OwnerList encord;  /* (owner, start, end) of each certified item's $encord block, for rules/metadata.py */
    OwnerList findings; /* FINDING_FIELDS values per finding the scanner decided (record_findings) */
    PyObject *host_ok;
    int browser_limited_uncertified; /* MT404 is on: items with such URLs are left to Python */
    long long browser_limited;
    int skip_duplicates, upsert;
    Py_ssize_t top_level[3][2]; /* byte span of skip_duplicate_urls, upsert_metadata and $schema's values */
    Pending *pending; /* the URLs of the item being read */
    Py_ssize_t pending_count, pending_capacity;
    unsigned char *scratch; /* decoded strings of the item being read */
    Py_ssize_t scratch_size, scratch_capacity;
    int64_t owner; /* the item being read */
    int fatal;     /* the whole file needs the full lint, not just the current item */
    int memory_error, python_error;
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

/* The UTF-8 bytes a scanned JSON string stands for, written to out (room for the raw size is always
   enough: every escape is at least as long as what it stands for). Returns their size. */
static Py_ssize_t decode_to(const Str *t, unsigned char *out) {
    const unsigned char *p = t->start;
    unsigned char *o = out;
    while (p < t->end) {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        unsigned char e = p[1];
        if (e == 'u') {
            unsigned cp, low;
            read_u_escape(p + 2, t->end, &cp);
            p += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) { /* scan_string checked the pair */
                read_u_escape(p + 2, t->end, &low);
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            if (cp < 0x80) {
                *o++ = (unsigned char)cp;
            } else if (cp < 0x800) {
                *o++ = (unsigned char)(0xC0 | (cp >> 6));
                *o++ = (unsigned char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                *o++ = (unsigned char)(0xE0 | (cp >> 12));
                *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                *o++ = (unsigned char)(0x80 | (cp & 0x3F));
            } else {
                *o++ = (unsigned char)(0xF0 | (cp >> 18));
                *o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
                *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                *o++ = (unsigned char)(0x80 | (cp & 0x3F));
            }
            continue;
        }
        switch (e) {
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'n': *o++ = '\n'; break;
            case 'r': *o++ = '\r'; break;
            case 't': *o++ = '\t'; break;
            default: *o++ = e; break; /* '"', '\\' and '/' */
        }
        p += 2;
    }
    return o - out;
}

/* A string's decoded text for the item checks: its own bytes, or (escaped) a copy in the item's
   scratch space. ``out`` views the text; ``where`` says where it lives (the scratch may move). */
static int item_text(Scan *s, const Str *t, Str *out, Pending *where) {
    Py_ssize_t raw = t->end - t->start;
    *out = *t;
    if (!t->escaped) {
        where->in_scratch = 0;
        where->offset = t->start - s->base;
        where->size = raw;
        return 1;
    }
    if (s->scratch_size + raw > s->scratch_capacity) {
        Py_ssize_t capacity = 2 * (s->scratch_size + raw) + 256;
        unsigned char *grown = PyMem_Realloc(s->scratch, (size_t)capacity);
        if (grown == NULL) {
            s->memory_error = 1;
            return 0;
        }
        s->scratch = grown;
        s->scratch_capacity = capacity;
    }
    where->in_scratch = 1;
    where->offset = s->scratch_size;
    where->size = decode_to(t, s->scratch + s->scratch_size);
    s->scratch_size += where->size;
    out->start = s->scratch + where->offset;
    out->end = out->start + where->size;
    out->escaped = 0;
    return 1;
}

static const unsigned char *text_at(const Scan *s, const Pending *where) {
    return (where->in_scratch ? s->scratch : s->base) + where->offset;
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

/* Why a value or key cannot start at s->p, for -v: a closing bracket right after a comma is a trailing
   comma (the scanner rejected it as an invalid number or a missing key, which said nothing useful). */
static const char *missing(const Scan *s, const char *expected) {
    const unsigned char *q = s->p;
    if (q >= s->end || (*q != ']' && *q != '}')) return expected;
    while (q > s->base && (q[-1] == ' ' || q[-1] == '\n' || q[-1] == '\t' || q[-1] == '\r')) q--;
    if (q > s->base && q[-1] == ',') return *s->p == ']' ? "trailing comma before ']'" : "trailing comma before '}'";
    return expected;
}

/* A key string and its colon (escaped keys are compared by what they decode to: decoded_key). */
static int scan_key(Scan *s, Str *key) {
    if (s->p >= s->end || *s->p != '"') REJECT(s, missing(s, "expected a key"));
    if (!scan_string(s, key)) return 0;
    if (!skip_blank(s)) return 0;
    if (s->p >= s->end || *s->p != ':') REJECT(s, "expected ':'");
    s->p++;
    return skip_blank(s);
}

static uint64_t hash_bytes(const unsigned char *p, Py_ssize_t size);

/* The key's decoded bytes: its own when it has no escape, else decoded into buf (room for the raw
   size); 0 when an escaped key does not fit, which no key the scanner looks for does not. */
static int decoded_key(const Str *key, unsigned char *buf, Py_ssize_t cap, const unsigned char **text,
                       Py_ssize_t *size) {
    if (!key->escaped) {
        *text = key->start;
        *size = key->end - key->start;
        return 1;
    }
    if (key->end - key->start > cap) return 0;
    *text = buf;
    *size = decode_to(key, buf);
    return 1;
}

/* Hash of a key's decoded bytes (a collision reads as a repeated key: the full lint then decides). */
static int key_hash(Scan *s, const Str *key, uint64_t *hash, int *encord) {
    unsigned char small[KEY_BUFFER];
    const unsigned char *text;
    Py_ssize_t size;
    unsigned char *big = NULL;
    if (!decoded_key(key, small, KEY_BUFFER, &text, &size)) {
        big = PyMem_Malloc((size_t)(key->end - key->start));
        if (big == NULL) {
            s->memory_error = 1;
            return 0;
        }
        decoded_key(key, big, key->end - key->start, &text, &size);
    }
    *hash = hash_bytes(text, size);
    *encord = short_equals(&config.names[N_ENCORD], text, size) ? 1 : short_equals(&config.names[N_KEYFRAMES], text, size) ? 2 : 0;
    PyMem_Free(big);
    return 1;
}

/* Repeated keys: a linear search among a few, a hash set past LINEAR_KEYS. 1 fresh, 0 repeat, -1 memory. */
typedef struct {
    uint64_t small[LINEAR_KEYS];
    uint64_t *table;
    Py_ssize_t count, slots;
} KeySet;

static int key_set_add(KeySet *set, uint64_t hash) {
    if (hash == 0) hash = 1;
    if (set->count < LINEAR_KEYS) {
        for (Py_ssize_t i = 0; i < set->count; i++) {
            if (set->small[i] == hash) return 0;
        }
        set->small[set->count++] = hash;
        return 1;
    }
    if (2 * (set->count + 1) > set->slots) {
        Py_ssize_t slots = set->slots ? 2 * set->slots : 64;
        uint64_t *grown = PyMem_Calloc((size_t)slots, sizeof(uint64_t));
        if (grown == NULL) return -1;
        for (Py_ssize_t i = 0; i < set->slots + (set->table == NULL ? LINEAR_KEYS : 0); i++) {
            uint64_t old = set->table == NULL ? set->small[i] : set->table[i];
            if (old == 0) continue;
            Py_ssize_t j = (Py_ssize_t)(old & (uint64_t)(slots - 1));
            while (grown[j] != 0) j = (j + 1) & (slots - 1);
            grown[j] = old;
        }
        PyMem_Free(set->table);
        set->table = grown;
        set->slots = slots;
    }
    Py_ssize_t mask = set->slots - 1, j = (Py_ssize_t)(hash & (uint64_t)mask);
    while (set->table[j] != 0) {
        if (set->table[j] == hash) return 0;
        j = (j + 1) & mask;
    }
    set->table[j] = hash;
    set->count++;
    return 1;
}

static int push_owner(Scan *s, OwnerList *list, int64_t value) {
    if (list->count == list->capacity) {
        Py_ssize_t capacity = list->capacity ? 2 * list->capacity : 64;
        int64_t *grown = PyMem_Realloc(list->items, sizeof(int64_t) * (size_t)capacity);
        if (grown == NULL) {
            s->memory_error = 1;
            return 0;
        }
        list->items = grown;
        list->capacity = capacity;
    }
    list->items[list->count++] = value;
    return 1;
}

static int scan_object(Scan *s, int depth, int client_top) {
    KeySet keys;
    keys.table = NULL;
    keys.count = keys.slots = 0;
    s->p++;
    if (!skip_blank(s)) return 0;
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return 1;
    }
    int ok = 1;
    for (;;) {
        Str key;
        uint64_t hash;
        int encord;
        if (!scan_key(s, &key) || !key_hash(s, &key, &hash, &encord)) {
            ok = 0;
            break;
        }
        if (client_top && encord == 2) {
            s->reason = "deprecated keyframes"; /* MT511: the Python rules report it */
            ok = 0;
            break;
        }
        int fresh = key_set_add(&keys, hash);
        if (fresh <= 0) {
            if (fresh < 0) s->memory_error = 1;
            s->reason = "duplicate key";
            ok = 0;
            break;
        }
        const unsigned char *value = s->p;
        if (!scan_value(s, depth + 1, 0)) {
            ok = 0;
            break;
        }
        if (client_top && encord == 1) {
            /* the $encord block is judged by the rule itself (rules/certified.py), from its bytes */
            if (!push_owner(s, &s->encord, s->owner) || !push_owner(s, &s->encord, value - s->base) ||
                !push_owner(s, &s->encord, s->p - s->base)) {
                ok = 0;
                break;
            }
        }
        int more = next_member(s, '}');
        if (more < 0) {
            ok = 0;
            break;
        }
        if (more == 0) break;
    }
    PyMem_Free(keys.table);
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
        case ']':
        case '}':
            REJECT(s, missing(s, "expected a value"));
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
    if (cp >= 0x80 && !utf8_sequence(t->start, t->end, &cp)) return 1;
    return is_space(cp);
}

static int last_is_space(const Str *t) {
    const unsigned char *p = t->end - 1;
    while (p > t->start && (*p & 0xC0) == 0x80) p--;
    unsigned cp = *p;
    if (cp >= 0x80 && !utf8_sequence(p, t->end, &cp)) return 1;
    return is_space(cp);
}

/* text, ASCII-lower-cased, equals word (n bytes, lower case). */
static int lower_equals_n(const unsigned char *text, Py_ssize_t size, const char *word, Py_ssize_t n) {
    if (size != n) return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = text[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        if (c != (unsigned char)word[i]) return 0;
    }
    return 1;
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
        if (lower_equals_n(ext, size, config.extensions[i].text, config.extensions[i].size)) return i;
    }
    return -1;
}

/* 1 when the text, lower-cased, contains one of the hints: one pass, comparing only where a hint's
   first byte stands. */
static int has_hint(const Hints *hints, const unsigned char *text, Py_ssize_t size) {
    for (Py_ssize_t i = 0; i < size; i++) {
        uint32_t candidates = hints->first[text[i]] & (i + 1 < size ? hints->second[text[i + 1]] : hints->single);
        while (candidates) {
            int j = __builtin_ctz(candidates);
            candidates &= candidates - 1;
            const Short *hint = &hints->texts[j];
            if (hint->size <= size - i && lower_equals_n(text + i, hint->size, hint->text, hint->size)) return 1;
        }
    }
    return 0;
}

/* A decoded title (item_text) the title rules certainly accept. */
static int check_title(Scan *s, const KindSpec *kind, const Str *title) {
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

/* The entry of ``key`` in the table, added (with a copy of the key) when new; -1 on memory error. */
static Py_ssize_t table_entry(Table *table, const unsigned char *key, Py_ssize_t size, int *added) {
    uint64_t hash = hash_bytes(key, size) | 1;
    *added = 0;
    if (2 * (table->count + 1) > table->slot_count) {
        Py_ssize_t count = table->slot_count ? 2 * table->slot_count : 64;
        uint64_t *hashes = PyMem_Calloc((size_t)count, sizeof(uint64_t));
        Py_ssize_t *slots = PyMem_Calloc((size_t)count, sizeof(Py_ssize_t));
        if (hashes == NULL || slots == NULL) {
            PyMem_Free(hashes);
            PyMem_Free(slots);
            return -1;
        }
        for (Py_ssize_t i = 0; i < table->slot_count; i++) {
            if (table->hashes[i] == 0) continue;
            Py_ssize_t j = (Py_ssize_t)(table->hashes[i] & (uint64_t)(count - 1));
            while (hashes[j] != 0) j = (j + 1) & (count - 1);
            hashes[j] = table->hashes[i];
            slots[j] = table->slots[i];
        }
        PyMem_Free(table->hashes);
        PyMem_Free(table->slots);
        table->hashes = hashes;
        table->slots = slots;
        table->slot_count = count;
    }
    Py_ssize_t mask = table->slot_count - 1, j = (Py_ssize_t)(hash & (uint64_t)mask);
    while (table->hashes[j] != 0) {
        if (table->hashes[j] == hash) {
            Entry *e = &table->entries[table->slots[j] - 1];
            if (e->size == size && memcmp(e->text, key, (size_t)size) == 0) return table->slots[j] - 1;
        }
        j = (j + 1) & mask;
    }
    if (table->count == table->capacity) {
        Py_ssize_t capacity = table->capacity ? 2 * table->capacity : 16;
        Entry *grown = PyMem_Realloc(table->entries, sizeof(Entry) * (size_t)capacity);
        if (grown == NULL) return -1;
        table->entries = grown;
        table->capacity = capacity;
    }
    Entry *e = &table->entries[table->count];
    memset(e, 0, sizeof(*e));
    e->text = PyMem_Malloc((size_t)size + 1);
    if (e->text == NULL) return -1;
    memcpy(e->text, key, (size_t)size);
    e->size = size;
    table->hashes[j] = hash;
    table->slots[j] = table->count + 1;
    *added = 1;
    return table->count++;
}

static void table_release(Table *table) {
    for (Py_ssize_t i = 0; i < table->count; i++) {
        PyMem_Free(table->entries[i].text);
        PyMem_Free(table->entries[i].url);
    }
    PyMem_Free(table->entries);
    PyMem_Free(table->hashes);
    PyMem_Free(table->slots);
}

/* The first URL of a certified item with this (host and first path segment, kind): the integration
   rules (MT313, MT314) locate every such URL in Python, keyed as rules/urls.py _location_key keys them. */
static int remember_origin(Scan *s, int kind_index, int64_t index, int ordinal, const unsigned char *url,
                           Py_ssize_t size) {
    Py_ssize_t prefix = config.url_prefix.size; /* check_url made sure the URL is longer */
    const unsigned char *host_end = memchr(url + prefix, '/', (size_t)(size - prefix));
    Py_ssize_t key_size = size;
    if (host_end != NULL) {
        const unsigned char *segment_end = memchr(host_end + 1, '/', (size_t)(url + size - host_end - 1));
        if (segment_end != NULL) key_size = segment_end - url;
    }
    if (s->last_origin) {
        Entry *last = &s->origins.entries[s->last_origin - 1];
        if (last->size == key_size + 1 && last->text[key_size] == (unsigned char)kind_index &&
            memcmp(last->text, url, (size_t)key_size) == 0) {
            return 1;
        }
    }
    unsigned char small[512];
    unsigned char *key = key_size < (Py_ssize_t)sizeof(small) ? small : PyMem_Malloc((size_t)key_size + 1);
    if (key == NULL) {
        s->memory_error = 1;
        return 0;
    }
    memcpy(key, url, (size_t)key_size);
    key[key_size] = (unsigned char)kind_index;
    int added;
    Py_ssize_t at = table_entry(&s->origins, key, key_size + 1, &added);
    if (key != small) PyMem_Free(key);
    if (at < 0) {
        s->memory_error = 1;
        return 0;
    }
    s->last_origin = at + 1;
    if (added) {
        Entry *e = &s->origins.entries[at];
        e->url = PyMem_Malloc((size_t)size);
        if (e->url == NULL) {
            s->memory_error = 1;
            return 0;
        }
        memcpy(e->url, url, (size_t)size);
        e->url_size = size;
        e->value[0] = kind_index;
        e->value[1] = index;
        e->value[2] = ordinal;
    }
    return 1;
}

/* The Python host predicate's verdict on the URL's host (asked once per host): 1 accepted, 0 not,
   -1 when it raised. */
static int host_accepted(Scan *s, const unsigned char *url, Py_ssize_t size, const unsigned char *host_end) {
    if (s->host_ok == NULL) return 1;
    if (s->last_host) {
        Entry *last = &s->hosts.entries[s->last_host - 1];
        if (last->size == host_end - url && memcmp(last->text, url, (size_t)last->size) == 0)
            return last->value[0] == 1;
    }
    int added;
    Py_ssize_t at = table_entry(&s->hosts, url, host_end - url, &added);
    if (at < 0) {
        s->memory_error = 1;
        return -1;
    }
    if (added) {
        PyObject *text = PyUnicode_DecodeASCII((const char *)url, size, "strict");
        PyObject *verdict = text == NULL ? NULL : PyObject_CallOneArg(s->host_ok, text);
        Py_XDECREF(text);
        int truth = verdict == NULL ? -1 : PyObject_IsTrue(verdict);
        Py_XDECREF(verdict);
        if (truth < 0) {
            s->python_error = 1;
            return -1;
        }
        s->hosts.entries[at].value[0] = truth ? 1 : 2;
    }
    s->last_host = at + 1;
    return s->hosts.entries[at].value[0] == 1;
}

/* The size of the URL's scheme part when it is the plain grammar's (*flagged = 0) or one a rule flags
   with a finding and nothing else (*flagged = 1 + its index in config.flagged); 0 for any other. */
static Py_ssize_t url_scheme(const unsigned char *url, Py_ssize_t size, int *flagged) {
    *flagged = 0;
    Py_ssize_t prefix = config.url_prefix.size;
    if (size > prefix && memcmp(url, config.url_prefix.text, (size_t)prefix) == 0) return prefix;
    for (int i = 0; i < config.flagged_count; i++) {
        prefix = config.flagged[i].size;
        if (size > prefix && memcmp(url, config.flagged[i].text, (size_t)prefix) == 0) {
            *flagged = i + 1;
            return prefix;
        }
    }
    return 0;
}

/* A decoded URL the URL rules certainly accept, or (*flagged set) flag with its scheme's one finding
   only; sets its extension's id (-1: none or unknown). */
static int check_url(Scan *s, const Str *value, int *ext_id, int *flagged) {
    if (!value->ascii) REJECT(s, "URL with non-ASCII");
    const unsigned char *url = value->start, *end = value->end;
    Py_ssize_t size = end - url;
    if (size > config.max_url_bytes) REJECT(s, "long URL");
    Py_ssize_t prefix = url_scheme(url, size, flagged);
    if (prefix == 0) REJECT(s, "URL scheme");
    const unsigned char *p = url + prefix;
    if (!host_char[*p] || *p == '.' || *p == '-') REJECT(s, "URL host");
    while (p < end && host_char[*p]) p++;
    if (p < end && *p == ':') {
        p++;
        const unsigned char *digits = p;
        while (p < end && *p >= '0' && *p <= '9') p++;
        if (p == digits) REJECT(s, "URL port");
    }
    if (p >= end || *p != '/') REJECT(s, "URL without path");
    const unsigned char *host_end = p;
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
    /* a flagged URL is analysed whole by rules/urls.py, which names a folder before a query (MT315) */
    if (*flagged && query == name) REJECT(s, "URL names a folder");
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
    int host = host_accepted(s, url, size, host_end);
    if (host < 0) return 0;
    if (host == 0) REJECT(s, "the host rules refuse the host");
    *ext_id = extension_id(ext, ext_size);
    return 1;
}

static int demote(Scan *s, int64_t owner) {
    return push_owner(s, &s->demoted, owner);
}

/* Add a hash owned by the current item. Repeats are looked for once the file is read (find_repeats),
   in cache-sized buckets: a set of a million URLs probed as they come cost a cache and TLB miss each,
   a third of the scan. 0 on memory error. */
static int remember_shared(Scan *s, HashSet *set, uint64_t hash) {
    if (hash == 0) hash = 1;
    if (set->count == set->capacity) {
        Py_ssize_t capacity = set->capacity ? 2 * set->capacity : (1 << 12);
        Slot *grown = PyMem_Realloc(set->slots, sizeof(Slot) * (size_t)capacity);
        if (grown == NULL) {
            s->memory_error = 1;
            return 0;
        }
        set->slots = grown;
        set->capacity = capacity;
    }
    set->slots[set->count].hash = hash;
    set->slots[set->count].owner = s->owner;
    set->count++;
    set->buckets[hash >> (64 - SHARED_BITS)]++;
    return 1;
}

/* Every item whose hash another item has too is demoted (each copy: the Python rules see them all).
   The hashes are spread into buckets by their top bits, then each bucket, small enough for the cache,
   is searched with a small open-addressing table. 0 on memory error. */
static int find_repeats(Scan *s, HashSet *set) {
    enum { BUCKETS = 1 << SHARED_BITS };
    if (set->count < 2) return 1;
    Py_ssize_t *starts = PyMem_Malloc(sizeof(Py_ssize_t) * (2 * BUCKETS + 1)), *fill = starts + BUCKETS + 1;
    Slot *spread = PyMem_Malloc(sizeof(Slot) * (size_t)set->count);
    Py_ssize_t largest = 0, at = 0, slot_count = 4;
    for (Py_ssize_t b = 0; starts != NULL && b < BUCKETS; b++) {
        starts[b] = fill[b] = at;
        at += set->buckets[b];
        if (set->buckets[b] > largest) largest = set->buckets[b];
    }
    while (slot_count < 2 * largest) slot_count *= 2;
    Py_ssize_t *table = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)slot_count);
    int ok = starts != NULL && spread != NULL && table != NULL;
    if (!ok) s->memory_error = 1;
    if (ok) {
        starts[BUCKETS] = at;
        for (Py_ssize_t i = 0; i < set->count; i++) spread[fill[set->slots[i].hash >> (64 - SHARED_BITS)]++] = set->slots[i];
    }
    for (Py_ssize_t b = 0; ok && b < BUCKETS; b++) {
        Py_ssize_t first = starts[b], n = starts[b + 1] - first, mask = 3;
        if (n < 2) continue;
        while (mask + 1 < 2 * n) mask = 2 * mask + 1;
        memset(table, 0, sizeof(Py_ssize_t) * (size_t)(mask + 1));
        for (Py_ssize_t i = first; ok && i < first + n; i++) {
            Py_ssize_t j = (Py_ssize_t)(spread[i].hash & (uint64_t)mask);
            while (table[j] != 0 && spread[table[j] - 1].hash != spread[i].hash) j = (j + 1) & mask;
            if (table[j] == 0) {
                table[j] = i + 1;
            } else {
                ok = demote(s, spread[table[j] - 1].owner) && demote(s, spread[i].owner);
            }
        }
    }
    PyMem_Free(starts);
    PyMem_Free(spread);
    PyMem_Free(table);
    return ok;
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
    Pending mime; /* size -1: none */
} ItemFacts;

/* The field a decoded metadata key names, and whether in its snake_case spelling; -1 when none. */
static int field_index(const KindSpec *kind, const unsigned char *text, Py_ssize_t size, int *snake) {
    for (int i = 0; i < kind->field_count; i++) {
        if (short_equals(&kind->fields[i].name, text, size)) {
            *snake = 0;
            return i;
        }
        if (kind->fields[i].snake.size && short_equals(&kind->fields[i].snake, text, size)) {
            *snake = 1;
            return i;
        }
    }
    return -1;
}

static int scan_metadata(Scan *s, const KindSpec *kind, ItemFacts *facts) {
    uint32_t seen = 0, snake_spelt = 0;
    s->p++;
    if (!skip_blank(s)) return 0;
    if (s->p < s->end && *s->p == '}') REJECT(s, "empty metadata block");
    for (;;) {
        Str key;
        unsigned char buffer[KEY_BUFFER];
        const unsigned char *name;
        Py_ssize_t name_size;
        int snake = 0;
        if (!scan_key(s, &key)) return 0;
        int index = decoded_key(&key, buffer, KEY_BUFFER, &name, &name_size)
                        ? field_index(kind, name, name_size, &snake)
                        : -1;
        if (index < 0) REJECT(s, "metadata field");
        if (seen & (1u << index)) REJECT(s, "duplicate metadata field");
        seen |= 1u << index;
        if (snake) snake_spelt |= 1u << index;
        const Field *field = &kind->fields[index];
        if (field->type == VALUE_STRING || field->type == VALUE_MIME) {
            Str raw, text;
            Pending where;
            if (s->p >= s->end || *s->p != '"') REJECT(s, "metadata string type");
            if (!scan_string(s, &raw) || !item_text(s, &raw, &text, &where)) return 0;
            if (text.end == text.start || first_is_space(&text)) REJECT(s, "metadata string");
            if (field->type == VALUE_STRING && has_hint(&config.text_hints, text.start, text.end - text.start))
                REJECT(s, "metadata string may be a placeholder");
            if (field->type == VALUE_MIME) facts->mime = where;
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
    /* one casing throughout, or a mix the documentation itself uses (rules/metadata.py MT503) */
    if (snake_spelt != 0 && snake_spelt != kind->snake_fields) {
        int documented = 0;
        for (int i = 0; i < kind->spelling_count; i++) documented |= kind->spellings[i] == snake_spelt;
        if (!documented) REJECT(s, "metadata mixes camelCase and snake_case");
    }
    return 1;
}

static int push_pending(Scan *s, const Pending *where) {
    if (s->pending_count + 1 > s->pending_capacity) {
        Py_ssize_t capacity = s->pending_capacity ? 2 * s->pending_capacity : 64;
        Pending *grown = PyMem_Realloc(s->pending, sizeof(Pending) * (size_t)capacity);
        if (grown == NULL) {
            s->memory_error = 1;
            return 0;
        }
        s->pending = grown;
        s->pending_capacity = capacity;
    }
    s->pending[s->pending_count++] = *where;
    return 1;
}

/* A URL of a multi-file item (a DICOM series, an image group) in the folder of the item's previous URL,
   which check_url accepted, with a plain file name: what check_url would decide follows from that URL
   (scheme, host and its verdict, the folder's characters and escapes) and the name, so only the name and
   the placeholder hints that could reach into it are read. 1 accepted (ext_id set); 0 when this is not
   the case, and check_url decides. */
static int sibling_url(const Str *value, const unsigned char *previous, Py_ssize_t previous_size, int *ext_id) {
    const unsigned char *url = value->start;
    Py_ssize_t size = value->end - url, folder = previous_size;
    if (!value->ascii || size > config.max_url_bytes) return 0;
    while (folder > 0 && previous[folder - 1] != '/') folder--;
    if (folder == 0 || size <= folder || memcmp(url, previous, (size_t)folder) != 0 ||
        memchr(previous, '?', (size_t)folder) != NULL) /* a '/' in a query starts no file name */
        return 0;
    for (const unsigned char *p = url + folder; p < value->end; p++) {
        if (!path_char[*p] || *p == '/') return 0; /* no escape, query or subfolder: check_url reads those */
    }
    if (size - folder > config.max_file_name_chars) return 0;
    Py_ssize_t overlap = 0;
    for (int i = 0; i < config.url_hints.count; i++) {
        if (config.url_hints.texts[i].size - 1 > overlap) overlap = config.url_hints.texts[i].size - 1;
    }
    Py_ssize_t from = folder > overlap ? folder - overlap : 0; /* a hint wholly in the folder was looked for */
    if (has_hint(&config.url_hints, url + from, size - from)) return 0;
    const unsigned char *ext;
    Py_ssize_t ext_size;
    file_extension(url + folder, size - folder, &ext, &ext_size);
    *ext_id = extension_id(ext, ext_size);
    return 1;
}

static int add_url(Scan *s, const KindSpec *kind, ItemFacts *facts) {
    Str raw, value;
    Pending where;
    int ext_id, flagged;
    if (s->p >= s->end || *s->p != '"') REJECT(s, "URL type");
    if (!scan_string(s, &raw) || !item_text(s, &raw, &value, &where)) return 0;
    const unsigned char *after = s->p;
    s->p = raw.start;
    const Pending *previous = facts->url_count && kind->multi_file ? &s->pending[s->pending_count - 1] : NULL;
    if (previous && sibling_url(&value, text_at(s, previous), previous->size, &ext_id)) {
        flagged = previous->flagged; /* the same folder, so the same scheme */
    } else if (!check_url(s, &value, &ext_id, &flagged)) {
        return 0;
    }
    where.flagged = flagged;
    where.token_start = raw.start - 1 - s->base;
    where.token_end = raw.end + 1 - s->base;
    where.hash = hash_bytes(value.start, value.end - value.start);
    if (!push_pending(s, &where)) return 0;
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

static int is_name(const Str *key, int name) {
    return is_key(key, NAME(name), NAME_SIZE(name));
}

/* "objectUrl_N" with N the next number, written without sign or leading zero. */
static int is_url_key(const Str *key, int expected) {
    Py_ssize_t size = key->end - key->start, prefix = NAME_SIZE(N_OBJECT_URL_PREFIX);
    if (size <= prefix || size > prefix + 9 || memcmp(key->start, NAME(N_OBJECT_URL_PREFIX), (size_t)prefix) != 0)
        return 0;
    const unsigned char *digits = key->start + prefix;
    if (digits[0] == '0' && size > prefix + 1) return 0;
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

/* The findings of a certified item's flagged URLs: (scheme index, kind, item, URL ordinal, the URL's
   string span, the item's first URL's string span), which Python turns into diagnostics without
   parsing the item (rules/urls.py scanner_findings). */
enum { FINDING_FIELDS = 8 };

static int record_findings(Scan *s, int kind_index, int64_t index) {
    for (Py_ssize_t i = 0; i < s->pending_count; i++) {
        const Pending *url = &s->pending[i];
        if (!url->flagged) continue;
        int64_t row[FINDING_FIELDS] = {url->flagged - 1, kind_index, index, i, url->token_start, url->token_end,
                                       s->pending[0].token_start, s->pending[0].token_end};
        for (int j = 0; j < FINDING_FIELDS; j++) {
            if (!push_owner(s, &s->findings, row[j])) return 0;
        }
    }
    return 1;
}

static int scan_item(Scan *s, int kind_index) {
    const KindSpec *kind = &config.kinds[kind_index];
    ItemFacts facts = {0, 0, -1, 0, 0, 0, 0, {0, 0, -1}};
    const unsigned char *start = s->p;
    int seen = 0, create_video = -1;
    Pending title_at = {0, 0, -1};
    if (s->p >= s->end || *s->p != '{') REJECT(s, "item not an object");
    s->p++;
    if (!skip_blank(s)) return 0;
    if (s->p < s->end && *s->p == '}') REJECT(s, "empty item");
    for (;;) {
        Str key;
        if (!scan_key(s, &key)) return 0;
        if (key.escaped) { /* rare: read by what it decodes to, in the scratch space until the value */
            Pending where;
            Str decoded;
            if (!item_text(s, &key, &decoded, &where)) return 0;
            key = decoded;
        }
        if (!kind->multi_file && is_name(&key, N_OBJECT_URL)) {
            if (seen & SEEN_URL) REJECT(s, "duplicate objectUrl");
            seen |= SEEN_URL;
            if (!add_url(s, kind, &facts)) return 0;
        } else if (kind->multi_file && is_url_key(&key, facts.url_count)) {
            if (!add_url(s, kind, &facts)) return 0;
        } else if (is_name(&key, N_TITLE)) {
            Str raw, title;
            if (seen & SEEN_TITLE) REJECT(s, "duplicate title");
            seen |= SEEN_TITLE;
            if (s->p >= s->end || *s->p != '"') REJECT(s, "title type");
            if (!scan_string(s, &raw) || !item_text(s, &raw, &title, &title_at)) return 0;
            if (!check_title(s, kind, &title)) return 0;
        } else if (is_name(&key, N_CLIENT_METADATA)) {
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
        } else if (kind->has_create_video && is_name(&key, N_CREATE_VIDEO)) {
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
    if (facts.mime.size >= 0) {
        int ok = 0;
        const unsigned char *mime = text_at(s, &facts.mime);
        if (facts.first_ext >= 0) {
            for (int i = 0; i < config.mime_count[facts.first_ext]; i++) {
                if (short_equals(&config.mimes[facts.first_ext][i], mime, facts.mime.size)) ok = 1;
            }
        }
        if (!ok) REJECT(s, "mimeType does not match the extension");
    }
    if (facts.browser_limited && s->browser_limited_uncertified) REJECT(s, "a URL a browser cannot play (MT404)");
    /* certified: only now do its URLs and title count for the whole-file checks */
    if (title_at.size > 0 &&
        !remember_shared(s, &s->titles, hash_bytes(text_at(s, &title_at), title_at.size)))
        return 0;
    int64_t index = s->columns[kind_index].count;
    for (Py_ssize_t i = 0; i < s->pending_count; i++) {
        const unsigned char *url = text_at(s, &s->pending[i]);
        Py_ssize_t size = s->pending[i].size;
        if (!remember_shared(s, &s->urls, s->pending[i].hash)) return 0;
        /* a URL with a finding is no integration's (rules/urls.py records only passing URLs) */
        if (!s->pending[i].flagged && !remember_origin(s, kind_index, index, (int)i, url, size)) return 0;
    }
    if (!record_findings(s, kind_index, index)) return 0;
    s->browser_limited += facts.browser_limited;
    return add_row(s, kind_index, start, &facts, 1);
}

/* After an item the scanner cannot certify was skipped: its URL and title strings still join the
   repeat checks (decoded), so that a certified item sharing one is handed to the Python rules too. */
static int remember_uncertified(Scan *s, const unsigned char *start) {
    const unsigned char *end = s->p;
    if (*start != '{') return 1;
    s->p = start + 1;
    if (!skip_blank(s)) return 0;
    while (s->p < end && *s->p != '}') {
        Str key, raw, value;
        Pending where;
        unsigned char buffer[KEY_BUFFER];
        const unsigned char *name;
        Py_ssize_t size;
        if (!scan_key(s, &key)) return 0;
        int known = decoded_key(&key, buffer, KEY_BUFFER, &name, &size);
        Py_ssize_t prefix = NAME_SIZE(N_OBJECT_URL_PREFIX);
        int url_key = known && (short_equals(&config.names[N_OBJECT_URL], name, size) ||
                                (size > prefix && memcmp(name, NAME(N_OBJECT_URL_PREFIX), (size_t)prefix) == 0));
        int title_key = known && short_equals(&config.names[N_TITLE], name, size);
        if ((url_key || title_key) && *s->p == '"') {
            s->scratch_size = 0;
            if (!scan_string(s, &raw) || !item_text(s, &raw, &value, &where)) return 0;
            if (where.size > 0 || url_key) {
                HashSet *set = url_key ? &s->urls : &s->titles;
                if (!remember_shared(s, set, hash_bytes(text_at(s, &where), where.size))) return 0;
            }
        } else if (!scan_value(s, 2, 0)) {
            return 0;
        }
        if (next_member(s, '}') < 0) return 0;
    }
    s->p = end;
    return 1;
}

/* One element of a kind's array: certified, or skipped (as valid JSON) and left to the Python rules. */
static int scan_element(Scan *s, int kind_index) {
    const unsigned char *start = s->p;
    s->pending_count = 0;
    s->scratch_size = 0;
    s->owner = ((int64_t)kind_index << 40) | (int64_t)s->columns[kind_index].count;
    if (scan_item(s, kind_index)) return 1;
    if (s->fatal || s->memory_error || s->python_error) return 0;
    s->reason = NULL;
    s->p = start;
    if (!scan_value(s, 2, 0) || !remember_uncertified(s, start)) return 0;
    ItemFacts none = {0, 0, -1, 0, 0, 0, 0, {0, 0, -1}};
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
        if (key.escaped) REJECT(s, "escaped top-level key"); /* rare: the full lint reads it */
        Py_ssize_t size = key.end - key.start;
        int index = -1;
        for (int i = 0; i < config.kind_count; i++) {
            if (short_equals(&config.kinds[i].key, key.start, size)) index = i;
        }
        if (index < 0) {
            if (is_name(&key, N_SKIP_DUPLICATES)) index = MAX_KINDS;
            else if (is_name(&key, N_UPSERT)) index = MAX_KINDS + 1;
            else if (is_name(&key, N_SCHEMA)) index = MAX_KINDS + 2;
            else REJECT(s, "top-level key");
        }
        if (seen & (1u << index)) REJECT(s, "duplicate top-level key");
        seen |= 1u << index;
        int ok;
        const unsigned char *value_start = s->p;
        if (index < MAX_KINDS) ok = scan_items(s, index);
        else if (index == MAX_KINDS) ok = scan_flag(s, &s->skip_duplicates);
        else if (index == MAX_KINDS + 1) ok = scan_flag(s, &s->upsert);
        else {
            Str text;
            if (s->p >= s->end || *s->p != '"') REJECT(s, "$schema type");
            ok = scan_string(s, &text);
        }
        if (!ok) return 0;
        if (index >= MAX_KINDS) {
            s->top_level[index - MAX_KINDS][0] = value_start - s->base;
            s->top_level[index - MAX_KINDS][1] = s->p - s->base;
        }
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
    PyMem_Free(s->urls.slots);
    PyMem_Free(s->titles.slots);
    table_release(&s->origins);
    table_release(&s->hosts);
    PyMem_Free(s->demoted.items);
    PyMem_Free(s->encord.items);
    PyMem_Free(s->findings.items);
    PyMem_Free(s->pending);
    PyMem_Free(s->scratch);
}

/* Items that share a URL or a title with another are handed to the Python rules, every copy. */
static void apply_demotions(Scan *s) {
    for (Py_ssize_t i = 0; i < s->demoted.count; i++) {
        int64_t owner = s->demoted.items[i];
        Column *c = &s->columns[owner >> 40];
        int64_t index = owner & (((int64_t)1 << 40) - 1);
        if (index < c->count) c->certified[index] = 0;
    }
}

static PyObject *column_bytes(const void *data, Py_ssize_t size) {
    return PyBytes_FromStringAndSize(size ? (const char *)data : "", size);
}

/* A place in the bytes as the locator counts it in the decoded text: 1-based line (lines end at '\n')
   and 1-based column in characters (UTF-8 lead bytes). */
typedef struct {
    Py_ssize_t at;
    long long line, column;
} Cursor;

/* Move the cursor forward to ``offset`` (back to the start first if it is behind): the offsets of one
   file's findings come in order, so all of them cost one read of the bytes up to the last. */
static void advance(const Scan *s, Cursor *c, Py_ssize_t offset) {
    if (offset < c->at) *c = (Cursor){0, 1, 1};
    const unsigned char *p = s->base + c->at, *end = s->base + offset, *newline;
    long long line = c->line, column = c->column;
    while ((newline = memchr(p, '\n', (size_t)(end - p))) != NULL) { /* memchr: many bytes at a time */
        line++;
        column = 1;
        p = newline + 1;
    }
    for (; p < end; p++) column += (*p & 0xC0) != 0x80; /* characters since the line's start (or the cursor) */
    c->at = offset;
    c->line = line;
    c->column = column;
}

/* The decoded JSON string that starts at byte ``start`` (a string the scan has already read). */
static PyObject *string_at(Scan *s, Py_ssize_t start) {
    Str raw;
    s->p = s->base + start;
    if (!scan_string(s, &raw)) return PyErr_Format(PyExc_ValueError, "no string at byte %zd", start);
    if (!raw.escaped) return PyUnicode_DecodeUTF8((const char *)raw.start, raw.end - raw.start, "surrogatepass");
    unsigned char *buffer = PyMem_Malloc((size_t)(raw.end - raw.start) + 1);
    if (buffer == NULL) return PyErr_NoMemory();
    Py_ssize_t size = decode_to(&raw, buffer);
    PyObject *text = PyUnicode_DecodeUTF8((const char *)buffer, size, "surrogatepass");
    PyMem_Free(buffer);
    return text;
}

/* The JSON pointer of a recorded finding's URL: /kind/index/objectUrl or /kind/index/objectUrl_N. */
static PyObject *finding_pointer(const int64_t *f) {
    const KindSpec *kind = &config.kinds[f[1]];
    if (kind->multi_file)
        return PyUnicode_FromFormat("/%s/%lld/%s%lld", kind->key.text, (long long)f[2], NAME(N_OBJECT_URL_PREFIX),
                                    (long long)f[3]);
    return PyUnicode_FromFormat("/%s/%lld/%s", kind->key.text, (long long)f[2], NAME(N_OBJECT_URL));
}

/* The recorded findings of items still certified (a demoted item's URLs are read by the Python rules):
   (scheme index, kind, item, pointer, (line, column, end line, end column), the item's first URL). */
static PyObject *decided_findings(Scan *s) {
    PyObject *list = PyList_New(0);
    if (list == NULL) return NULL;
    Cursor cursor = {0, 1, 1};
    for (Py_ssize_t i = 0; i + FINDING_FIELDS <= s->findings.count; i += FINDING_FIELDS) {
        const int64_t *f = &s->findings.items[i];
        if (!s->columns[f[1]].certified[f[2]]) continue;
        advance(s, &cursor, (Py_ssize_t)f[4]);
        long long line = cursor.line, column = cursor.column;
        advance(s, &cursor, (Py_ssize_t)f[5]);
        PyObject *first = string_at(s, (Py_ssize_t)f[6]);
        PyObject *pointer = first == NULL ? NULL : finding_pointer(f);
        PyObject *row = pointer == NULL ? NULL
                                        : Py_BuildValue("(iiLN(LLLL)N)", (int)f[0], (int)f[1], (long long)f[2], pointer,
                                                        line, column, cursor.line, cursor.column, first);
        if (pointer == NULL) Py_XDECREF(first);
        if (row == NULL || PyList_Append(list, row) < 0) {
            Py_XDECREF(row);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(row);
    }
    return list;
}

static PyObject *summary(Scan *s) {
    PyObject *columns = PyList_New(0), *origins = PyList_New(0), *encord = PyList_New(0), *result = NULL;
    PyObject *findings = decided_findings(s);
    if (columns == NULL || origins == NULL || encord == NULL || findings == NULL) goto done;
    for (Py_ssize_t i = 0; i + 2 < s->encord.count; i += 3) {
        int64_t owner = s->encord.items[i], index = owner & (((int64_t)1 << 40) - 1);
        Column *c = &s->columns[owner >> 40];
        if (index >= c->count || !c->certified[index]) continue; /* an item left to Python anyway */
        PyObject *row = Py_BuildValue("(iLLL)", (int)(owner >> 40), (long long)index, (long long)s->encord.items[i + 1],
                                      (long long)s->encord.items[i + 2]);
        if (row == NULL || PyList_Append(encord, row) < 0) {
            Py_XDECREF(row);
            goto done;
        }
        Py_DECREF(row);
    }
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
    for (Py_ssize_t i = 0; i < s->origins.count; i++) {
        Entry *e = &s->origins.entries[i];
        if (!s->columns[e->value[0]].certified[e->value[1]]) continue; /* demoted: Python reads its URLs */
        PyObject *row = Py_BuildValue("(iLLN)", (int)e->value[0], (long long)e->value[1], (long long)e->value[2],
                                      PyUnicode_DecodeASCII((const char *)e->url, e->url_size, "strict"));
        if (row == NULL || PyList_Append(origins, row) < 0) {
            Py_XDECREF(row);
            goto done;
        }
        Py_DECREF(row);
    }
    result = Py_BuildValue("(OOL((nn)(nn)(nn))OO)", columns, origins, s->browser_limited, s->top_level[0][0],
                           s->top_level[0][1], s->top_level[1][0], s->top_level[1][1], s->top_level[2][0],
                           s->top_level[2][1], encord, findings);
done:
    Py_XDECREF(findings);
    Py_XDECREF(columns);
    Py_XDECREF(origins);
    Py_XDECREF(encord);
    return result;
}

static PyObject *scan(PyObject *module, PyObject *args, PyObject *kwargs) {
    (void)module;
    static char *names[] = {"data", "host_ok", "browser_limited_uncertified", NULL};
    PyObject *data, *host_ok = Py_None;
    int browser_limited_uncertified = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|Op:scan", names, &data, &host_ok, &browser_limited_uncertified))
        return NULL;
    if (!config.ready) {
        PyErr_SetString(PyExc_RuntimeError, "_scan.configure() has not been called");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) return NULL;
    Scan *s = PyMem_Calloc(1, sizeof(Scan));
    if (s == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    s->base = s->p = view.buf;
    s->end = s->base + view.len;
    s->host_ok = host_ok == Py_None ? NULL : host_ok;
    s->browser_limited_uncertified = browser_limited_uncertified;
    int ok = scan_manifest(s);
    PyObject *result;
    if (s->python_error) {
        result = NULL; /* the host predicate raised: its exception propagates */
    } else if (s->memory_error) {
        result = PyErr_NoMemory();
    } else if (ok) {
        if (find_repeats(s, &s->urls) && find_repeats(s, &s->titles)) {
            apply_demotions(s);
            result = summary(s);
        } else {
            result = PyErr_NoMemory();
        }
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
    PyObject *name, *snake;
    if (!PyArg_ParseTuple(tuple, "SSiipp(LL)", &name, &snake, &field->type, &field->positive, &field->ranged,
                          &field->is_file_size, &field->minimum, &field->maximum))
        return 0;
    return to_short(name, &field->name) && to_short(snake, &field->snake);
}

static int parse_kind(PyObject *tuple, KindSpec *kind) {
    PyObject *key, *metadata_key, *fields, *spellings;
    unsigned long long allowed, sequence_allowed;
    if (!PyArg_ParseTuple(tuple, "SppippKKSO!O!", &key, &kind->multi_file, &kind->has_create_video, &kind->title_rule,
                          &kind->accepts_unowned, &kind->has_metadata, &allowed, &sequence_allowed, &metadata_key,
                          &PyTuple_Type, &fields, &PyTuple_Type, &spellings))
        return 0;
    if (PyTuple_GET_SIZE(spellings) > MAX_SPELLINGS) {
        PyErr_SetString(PyExc_ValueError, "too many documented spellings");
        return 0;
    }
    kind->spelling_count = (int)PyTuple_GET_SIZE(spellings);
    for (int i = 0; i < kind->spelling_count; i++) {
        kind->spellings[i] = (uint32_t)PyLong_AsUnsignedLong(PyTuple_GET_ITEM(spellings, i));
        if (PyErr_Occurred()) return 0;
    }
    kind->allowed = allowed;
    kind->sequence_allowed = sequence_allowed;
    if (!to_short(key, &kind->key) || !to_short(metadata_key, &kind->metadata_key)) return 0;
    Py_ssize_t count = PyTuple_GET_SIZE(fields);
    if (count > MAX_FIELDS) {
        PyErr_SetString(PyExc_ValueError, "too many metadata fields");
        return 0;
    }
    kind->field_count = (int)count;
    kind->snake_fields = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (!parse_field(PyTuple_GET_ITEM(fields, i), &kind->fields[i])) return 0;
        if (kind->fields[i].snake.size) kind->snake_fields |= 1u << i;
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
        if (hint->size == 1) {
            hints->single |= 1u << i;
            for (int c = 0; c < 256; c++) hints->second[c] |= 1u << i;
        } else {
            unsigned char second = (unsigned char)hint->text[1];
            if (second >= 'A' && second <= 'Z') {
                PyErr_SetString(PyExc_ValueError, "hints must be lower case");
                return 0;
            }
            hints->second[second] |= 1u << i;
            if (second >= 'a' && second <= 'z') hints->second[second - 32] |= 1u << i;
        }
    }
    return 1;
}

/* The flagged schemes ("http://"): each non-empty, none the plain grammar's own prefix. */
static int parse_flagged(PyObject *tuple) {
    if (PyTuple_GET_SIZE(tuple) > MAX_FLAGGED_SCHEMES) {
        PyErr_SetString(PyExc_ValueError, "too many flagged URL schemes");
        return 0;
    }
    config.flagged_count = (int)PyTuple_GET_SIZE(tuple);
    for (int i = 0; i < config.flagged_count; i++) {
        if (!to_short(PyTuple_GET_ITEM(tuple, i), &config.flagged[i])) return 0;
        if (config.flagged[i].size == 0) {
            PyErr_SetString(PyExc_ValueError, "empty flagged URL scheme");
            return 0;
        }
    }
    return 1;
}

static PyObject *configure(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *kinds, *extensions, *mimes, *hints, *text_hints, *names, *url_prefix, *flagged;
    const char *host_chars, *path_chars;
    unsigned long long browser_limited;
    config.ready = 0;
    if (!PyArg_ParseTuple(args, "O!O!O!KO!O!(nnnn)O!SyyO!", &PyTuple_Type, &kinds, &PyTuple_Type, &extensions,
                          &PyTuple_Type, &mimes, &browser_limited, &PyTuple_Type, &hints, &PyTuple_Type, &text_hints,
                          &config.max_url_bytes, &config.max_title_chars, &config.max_file_name_chars,
                          &config.max_client_bytes, &PyTuple_Type, &names, &url_prefix, &host_chars, &path_chars,
                          &PyTuple_Type, &flagged))
        return NULL;
    if (!parse_flagged(flagged)) return NULL;
    if (PyTuple_GET_SIZE(names) != NAME_COUNT) {
        PyErr_SetString(PyExc_ValueError, "the scanner needs every item and top-level key name");
        return NULL;
    }
    for (int i = 0; i < NAME_COUNT; i++) {
        if (!to_short(PyTuple_GET_ITEM(names, i), &config.names[i])) return NULL;
    }
    if (!to_short(url_prefix, &config.url_prefix) || config.url_prefix.size == 0) {
        PyErr_SetString(PyExc_ValueError, "URL prefix");
        return NULL;
    }
    memset(host_char, 0, sizeof(host_char));
    memset(path_char, 0, sizeof(path_char));
    for (const char *c = host_chars; *c; c++) host_char[(unsigned char)*c] = 1;
    for (const char *c = path_chars; *c; c++) path_char[(unsigned char)*c] = 1;
    path_char['%'] = path_char['?'] = 0; /* the grammar's escapes and query, read apart */
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

/*
 * ---- Strict structure check (the JSON reader's fast path; no item tables) ----
 *
 * strict_json(data, start, max_depth, max_int_digits) answers whether data[start:]
 * is JSON that readers/json.py's strict parse accepts as is: the grammar json.loads
 * accepts (whitespace " \t\n\r", no control character in a string), no NaN or
 * Infinity, no float that overflows (1e999), no integer longer than Python's digit
 * limit, no repeated key in any object (keys compared after unescaping, so "a" and
 * "\u0061" are one key), no surrogate escape without its other half (json.loads takes
 * one, UTF-8 cannot hold it: MT108), nesting no deeper than max_depth. Then the reader parses
 * with plain json.loads, without the duplicate-key hook and the depth walk. The
 * data are the UTF-8 (surrogatepass) bytes of the reader's text, or that text when
 * it is ASCII. Any doubt is "no": the reader then takes its full path, which
 * reports every problem. Nothing here is shared with the item scanner above.
 */
#define STRICT_DEPTH_CAP 100000
#define STRICT_LINEAR_KEYS 32 /* an object with more keys finds repeats through a hash table */

typedef struct {
    uint64_t hash;
    Py_ssize_t size;
    Py_ssize_t at; /* offset in the data, or in the arena when unescaped */
    int unescaped;
} StrictKey;

typedef struct {
    const unsigned char *base, *p, *end;
    Py_ssize_t max_depth, max_int_digits;
    StrictKey *keys;
    Py_ssize_t key_count, key_capacity;
    unsigned char *arena;
    Py_ssize_t arena_size, arena_capacity;
} Strict;

static void strict_space(Strict *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t')) s->p++;
}

static int strict_hex4(const unsigned char *p, const unsigned char *end, unsigned *out) {
    unsigned value = 0;
    if (end - p < 4) return 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        value <<= 4;
        if (c >= '0' && c <= '9') value |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') value |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') value |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = value;
    return 1;
}

static int strict_arena_put(Strict *s, const unsigned char *bytes, Py_ssize_t size) {
    if (s->arena_size + size > s->arena_capacity) {
        Py_ssize_t capacity = s->arena_capacity ? s->arena_capacity : 256;
        while (capacity < s->arena_size + size) capacity *= 2;
        unsigned char *grown = realloc(s->arena, (size_t)capacity);
        if (grown == NULL) return 0;
        s->arena = grown;
        s->arena_capacity = capacity;
    }
    memcpy(s->arena + s->arena_size, bytes, (size_t)size);
    s->arena_size += size;
    return 1;
}

/* The code point as json.loads decodes it, in UTF-8 (a lone surrogate in three bytes, as surrogatepass). */
static int strict_arena_code_point(Strict *s, unsigned c) {
    unsigned char out[4];
    Py_ssize_t n;
    if (c < 0x80) { out[0] = (unsigned char)c; n = 1; }
    else if (c < 0x800) { out[0] = (unsigned char)(0xC0 | (c >> 6)); out[1] = (unsigned char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (c >> 12));
        out[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        out[0] = (unsigned char)(0xF0 | (c >> 18));
        out[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
        out[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        out[3] = (unsigned char)(0x80 | (c & 0x3F));
        n = 4;
    }
    return strict_arena_put(s, out, n);
}

static uint64_t strict_hash(const unsigned char *bytes, Py_ssize_t size) {
    uint64_t hash = 1469598103934665603ULL;
    for (Py_ssize_t i = 0; i < size; i++) hash = (hash ^ bytes[i]) * 1099511628211ULL;
    return hash;
}

/* A string from its opening quote; with a key, its unescaped bytes are recorded there. 1 ok, 0 no, -1 memory. */
static int strict_string(Strict *s, StrictKey *key) {
    const unsigned char *start = ++s->p;
    int escaped = 0;
    while (s->p < s->end) {
        unsigned char c = *s->p;
        if (c == '"') break;
        if (c < 0x20) return 0;
        if (c != '\\') { s->p++; continue; }
        escaped = 1;
        if (s->end - s->p < 2) return 0;
        c = s->p[1];
        if (c == 'u') {
            unsigned unit, low;
            if (!strict_hex4(s->p + 2, s->end, &unit)) return 0;
            s->p += 6;
            if (unit >= 0xDC00 && unit <= 0xDFFF) return 0; /* a lone low surrogate: MT108 */
            if (unit >= 0xD800 && unit <= 0xDBFF) {          /* a high one is the pair's first half, or MT108 */
                if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' || !strict_hex4(s->p + 2, s->end, &low) ||
                    low < 0xDC00 || low > 0xDFFF)
                    return 0;
                s->p += 6;
            }
        } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't') {
            s->p += 2;
        } else {
            return 0;
        }
    }
    if (s->p >= s->end) return 0;
    const unsigned char *stop = s->p++;
    if (key == NULL) return 1;
    if (!escaped) {
        key->at = start - s->base;
        key->size = stop - start;
        key->unescaped = 0;
        key->hash = strict_hash(start, key->size);
        return 1;
    }
    Py_ssize_t at = s->arena_size;
    for (const unsigned char *q = start; q < stop;) {
        if (*q != '\\') {
            if (!strict_arena_put(s, q, 1)) return -1;
            q++;
            continue;
        }
        unsigned char c = q[1];
        unsigned char plain = 0;
        switch (c) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        default: break;
        }
        if (c != 'u') {
            if (!strict_arena_put(s, &plain, 1)) return -1;
            q += 2;
            continue;
        }
        unsigned code, low;
        strict_hex4(q + 2, stop, &code);
        q += 6;
        /* As json.loads: a high surrogate joins an escaped low one that follows at once. */
        if (code >= 0xD800 && code <= 0xDBFF && stop - q >= 6 && q[0] == '\\' && q[1] == 'u' &&
            strict_hex4(q + 2, stop, &low) && low >= 0xDC00 && low <= 0xDFFF) {
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            q += 6;
        }
        if (!strict_arena_code_point(s, code)) return -1;
    }
    key->at = at;
    key->size = s->arena_size - at;
    key->unescaped = 1;
    key->hash = strict_hash(s->arena + at, key->size);
    return 1;
}

static const unsigned char *strict_key_bytes(const Strict *s, const StrictKey *key) {
    return key->unescaped ? s->arena + key->at : s->base + key->at;
}

static int strict_number(Strict *s) {
    const unsigned char *start = s->p;
    int real = 0;
    if (*s->p == '-') s->p++;
    if (s->p >= s->end || *s->p < '0' || *s->p > '9') return 0;
    const unsigned char *digits = s->p;
    if (*s->p == '0') s->p++;
    else while (s->p < s->end && *s->p >= '0' && *s->p <= '9') s->p++;
    Py_ssize_t integer_digits = s->p - digits;
    if (s->p < s->end && *s->p == '.') {
        real = 1;
        s->p++;
        if (s->p >= s->end || *s->p < '0' || *s->p > '9') return 0;
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9') s->p++;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        real = 1;
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-')) s->p++;
        if (s->p >= s->end || *s->p < '0' || *s->p > '9') return 0;
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9') s->p++;
    }
    if (!real) return s->max_int_digits <= 0 || integer_digits <= s->max_int_digits;
    /* The reader refuses a float that overflows: the same conversion as float(literal). */
    char small[64];
    Py_ssize_t size = s->p - start;
    char *copy = size < (Py_ssize_t)sizeof small ? small : malloc((size_t)size + 1);
    if (copy == NULL) return -1;
    memcpy(copy, start, (size_t)size);
    copy[size] = '\0';
    char *stop = NULL;
    double value = PyOS_string_to_double(copy, &stop, NULL);
    int ok = !PyErr_Occurred() && stop == copy + size && isfinite(value);
    PyErr_Clear();
    if (copy != small) free(copy);
    return ok;
}

static int strict_literal(Strict *s, const char *word, Py_ssize_t size) {
    if (s->end - s->p < size || memcmp(s->p, word, (size_t)size) != 0) return 0;
    s->p += size;
    return 1;
}

static int strict_value(Strict *s, Py_ssize_t depth);

static int strict_same_key(const Strict *s, const StrictKey *a, const StrictKey *b) {
    return a->hash == b->hash && a->size == b->size &&
           memcmp(strict_key_bytes(s, a), strict_key_bytes(s, b), (size_t)a->size) == 0;
}

/* The object's keys from ``first`` in a table of 1-based indexes into s->keys (0: empty); 0 when one repeats. */
static int strict_table_add(const Strict *s, Py_ssize_t *table, Py_ssize_t mask, Py_ssize_t index) {
    const StrictKey *key = &s->keys[index];
    for (Py_ssize_t slot = (Py_ssize_t)(key->hash & (uint64_t)mask);; slot = (slot + 1) & mask) {
        if (table[slot] == 0) {
            table[slot] = index + 1;
            return 1;
        }
        if (strict_same_key(s, &s->keys[table[slot] - 1], key)) return 0;
    }
}

static int strict_table_rebuild(const Strict *s, Py_ssize_t **table, Py_ssize_t *mask, Py_ssize_t first) {
    Py_ssize_t count = s->key_count - first, size = 64;
    while (size < 4 * (count + 1)) size *= 2;
    free(*table);
    *table = calloc((size_t)size, sizeof **table);
    if (*table == NULL) return -1;
    *mask = size - 1;
    for (Py_ssize_t i = first; i < s->key_count; i++) strict_table_add(s, *table, *mask, i);
    return 1;
}

static int strict_object(Strict *s, Py_ssize_t depth) {
    Py_ssize_t first = s->key_count, arena_mark = s->arena_size;
    Py_ssize_t *table = NULL, mask = 0;
    int result = 1;
    s->p++;
    strict_space(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return 1;
    }
    for (;;) {
        if (s->p >= s->end || *s->p != '"') { result = 0; break; }
        if (s->key_count == s->key_capacity) {
            Py_ssize_t capacity = s->key_capacity ? 2 * s->key_capacity : 64;
            StrictKey *grown = realloc(s->keys, (size_t)capacity * sizeof *grown);
            if (grown == NULL) { result = -1; break; }
            s->keys = grown;
            s->key_capacity = capacity;
        }
        StrictKey *key = &s->keys[s->key_count];
        result = strict_string(s, key);
        if (result != 1) break;
        Py_ssize_t count = s->key_count - first;
        if (count < STRICT_LINEAR_KEYS) {
            for (Py_ssize_t i = first; i < s->key_count && result == 1; i++) {
                if (strict_same_key(s, &s->keys[i], key)) result = 0;
            }
        } else {
            if (table == NULL || 4 * (count + 1) > mask + 1) {
                result = strict_table_rebuild(s, &table, &mask, first);
                if (result != 1) break;
            }
            result = strict_table_add(s, table, mask, s->key_count);
        }
        if (result != 1) break;
        s->key_count++;
        strict_space(s);
        if (s->p >= s->end || *s->p != ':') { result = 0; break; }
        s->p++;
        strict_space(s);
        result = strict_value(s, depth);
        if (result != 1) break;
        strict_space(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            strict_space(s);
            continue;
        }
        if (s->p < s->end && *s->p == '}') {
            s->p++;
            result = 1;
        } else {
            result = 0;
        }
        break;
    }
    free(table);
    s->key_count = first;
    s->arena_size = arena_mark;
    return result;
}

static int strict_array(Strict *s, Py_ssize_t depth) {
    s->p++;
    strict_space(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return 1;
    }
    for (;;) {
        int result = strict_value(s, depth);
        if (result != 1) return result;
        strict_space(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            strict_space(s);
            continue;
        }
        if (s->p < s->end && *s->p == ']') {
            s->p++;
            return 1;
        }
        return 0;
    }
}

/* A value at the cursor, inside ``depth`` containers. 1 ok, 0 no, -1 out of memory. */
static int strict_value(Strict *s, Py_ssize_t depth) {
    if (s->p >= s->end) return 0;
    switch (*s->p) {
    case '{':
        return depth < s->max_depth ? strict_object(s, depth + 1) : 0;
    case '[':
        return depth < s->max_depth ? strict_array(s, depth + 1) : 0;
    case '"':
        return strict_string(s, NULL);
    case 't':
        return strict_literal(s, "true", 4);
    case 'f':
        return strict_literal(s, "false", 5);
    case 'n':
        return strict_literal(s, "null", 4);
    default:
        return strict_number(s);
    }
}

static PyObject *strict_json(PyObject *module, PyObject *args) {
    PyObject *data;
    Py_ssize_t start, max_depth, max_int_digits;
    if (!PyArg_ParseTuple(args, "Onnn", &data, &start, &max_depth, &max_int_digits)) return NULL;
    const unsigned char *bytes;
    Py_ssize_t size;
    if (PyBytes_Check(data)) {
        bytes = (const unsigned char *)PyBytes_AS_STRING(data);
        size = PyBytes_GET_SIZE(data);
    } else if (PyUnicode_Check(data) && PyUnicode_IS_READY(data) && PyUnicode_IS_ASCII(data)) {
        bytes = (const unsigned char *)PyUnicode_DATA(data);
        size = PyUnicode_GET_LENGTH(data);
    } else {
        PyErr_SetString(PyExc_TypeError, "strict_json takes bytes or ASCII str");
        return NULL;
    }
    if (start < 0 || start > size || max_depth < 0 || max_depth > STRICT_DEPTH_CAP) {
        PyErr_SetString(PyExc_ValueError, "strict_json: start or max_depth out of range");
        return NULL;
    }
    Strict s = {0};
    s.base = bytes;
    s.p = bytes + start;
    s.end = bytes + size;
    s.max_depth = max_depth;
    s.max_int_digits = max_int_digits;
    int result;
    strict_space(&s);
    result = strict_value(&s, 0);
    if (result == 1) {
        strict_space(&s);
        if (s.p != s.end) result = 0;
    }
    free(s.keys);
    free(s.arena);
    if (result < 0) return PyErr_NoMemory();
    return PyBool_FromLong(result == 1);
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "Hand over the facts of kinds.py (see manifest_tools/native.py)."},
    {"scan", (PyCFunction)(void (*)(void))scan, METH_VARARGS | METH_KEYWORDS,
     "scan(data, host_ok=None, browser_limited_uncertified=False) -> (columns, origins, browser_limited, flags)"
     " when the"
     " structure is certified, else the reason (str)."},
    {"strict_json", strict_json, METH_VARARGS,
     "strict_json(data, start, max_depth, max_int_digits) -> whether data[start:] is JSON the strict reader"
     " accepts as is (see manifest_tools/native.py)."},
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
