/*
 * Spins for SECONDS reading CLOCK_MONOTONIC and counts the gaps between two readings: time in
 * which this thread did not run although it never blocks (the guest kernel's interrupts, or the
 * host taking the virtual CPU away). docs/performance.md ("Sixth round") runs one, then two at once.
 *
 *   gcc -O2 -o cpu-gaps cpu-gaps.c && ./cpu-gaps 10 one
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 10;
    const char *name = argc > 2 ? argv[2] : "spinner";
    long end = now_ns() + (long) (seconds * 1e9), last = now_ns();
    long over05 = 0, over1 = 0, over2 = 0, over5 = 0, lost = 0, longest = 0;
    for (;;) {
        long t = now_ns(), gap = t - last;
        last = t;
        if (gap > 500000) {
            over05++;
            lost += gap;
            over1 += gap > 1000000;
            over2 += gap > 2000000;
            over5 += gap > 5000000;
            longest = gap > longest ? gap : longest;
        }
        if (t > end) {
            break;
        }
    }
    printf("%s: gaps > 0.5 ms %ld, > 1 ms %ld, > 2 ms %ld, > 5 ms %ld; %.2f %% of the time lost; longest %.2f ms\n",
           name, over05, over1, over2, over5, lost / (seconds * 1e7), longest / 1e6);
    return 0;
}
