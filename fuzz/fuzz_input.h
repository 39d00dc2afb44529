/*
 * Turning fuzzer bytes into the numbers staffplan takes.
 *
 * A raw 8-byte double reaches NaN, infinities, subnormals and 1e308 but
 * almost never a plausible traffic; so each value starts with a selector
 * byte that picks a raw double, a small "realistic" value or a boundary
 * (0, -0, 1, 1e9, the largest double, ...).  Running out of bytes gives 0.
 */
#ifndef STAFFPLAN_FUZZ_INPUT_H
#define STAFFPLAN_FUZZ_INPUT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A broken contract: say which, then crash so libFuzzer keeps the input.
 * Each target defines report(), which prints the input it was checking. */
#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__,     \
                    __LINE__, #cond);                                     \
            report();                                                     \
            __builtin_trap();                                             \
        }                                                                 \
    } while (0)

typedef struct fuzz_in {
    const uint8_t *p;
    size_t left;
} fuzz_in;

static inline uint8_t fz_byte(fuzz_in *in)
{
    if (in->left == 0)
        return 0;
    in->left--;
    return *in->p++;
}

static inline uint64_t fz_u64(fuzz_in *in)
{
    uint64_t v = 0;
    size_t k = in->left < 8 ? in->left : 8;
    memcpy(&v, in->p, k);
    in->p += k;
    in->left -= k;
    return v;
}

static inline double fz_double(fuzz_in *in)
{
    static const double edges[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1e9, 1e9 + 1, 1e12,
                                   1e308, -1e308, 5e-324, 2.2250738585072014e-308,
                                   9e15, 0.999999999999, 1e-12, 20.0};
    uint8_t sel = fz_byte(in);
    switch (sel & 3) {
    case 0: { /* raw bits: NaN, infinities, subnormals, anything */
        uint64_t bits = fz_u64(in);
        double x;
        memcpy(&x, &bits, sizeof x);
        return x;
    }
    case 1: /* a small realistic value, 0 .. ~4000 */
        return (double)((fz_byte(in) << 8) | fz_byte(in)) / 16.0;
    case 2: /* a fraction in [0, 1] */
        return fz_byte(in) / 255.0;
    default:
        return edges[(sel >> 2) % (sizeof edges / sizeof edges[0])];
    }
}

static inline long long fz_count(fuzz_in *in)
{
    uint8_t sel = fz_byte(in);
    switch (sel & 3) {
    case 0:
        return (long long)fz_u64(in); /* any 64-bit value, negative too */
    case 1:
        return fz_byte(in);
    case 2:
        return (fz_byte(in) << 8) | fz_byte(in);
    default: {
        static const long long edges[] = {0, 1, -1, 1000000000LL, 1000000001LL,
                                          9007199254740993LL, 0x7fffffffffffffffLL,
                                          (-0x7fffffffffffffffLL - 1)};
        return edges[(sel >> 2) % 8];
    }
    }
}

#endif
