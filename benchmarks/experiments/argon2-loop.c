/*
 * Argon2id at Portcullis's default parameters (m = 19456 KiB, t = 2, p = 1), forever: a stand-in
 * for the load server's two hashing threads, as a separate process with no HTTP and no JVM.
 * docs/performance.md ("Sixth round") runs two of these in SCHED_IDLE next to an idle load server.
 *
 *   apt-get install -y libargon2-dev && gcc -O2 -o argon2-loop argon2-loop.c -largon2
 *   MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=67108864 chrt -i 0 ./argon2-loop &
 *
 * The malloc settings keep the 19 MiB block in the heap between hashes, as the server's hashing
 * threads do (about 11 minor page faults per verify there), so page faults are not what is tested.
 */
#include <argon2.h>
#include <string.h>

int main(void) {
    unsigned char tag[32];
    unsigned char salt[16] = {1, 2, 3};
    const char *password = "wrong password";
    for (;;) {
        argon2id_hash_raw(2, 19456, 1, password, strlen(password), salt, sizeof salt, tag, sizeof tag);
    }
}
