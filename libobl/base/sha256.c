/*
 * sha256.c - SHA-256 (FIPS 180-4) through Debian's nettle, which uses the CPU's SHA
 * extensions where there are some: the fingerprint of a large file costs little beside its
 * parsing, so it runs inline.
 */
#include "sha256.h"

#include <nettle/sha2.h>

void obl_sha256_hex(const void *data, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof digest, digest);
	for (size_t i = 0; i < sizeof digest; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = 0;
}
