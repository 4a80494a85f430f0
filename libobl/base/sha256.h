/*
 * sha256.h - SHA-256 (FIPS 180-4), for recognising a file already ingested.
 */
#ifndef OBL_SHA256_H
#define OBL_SHA256_H

#include <stddef.h>

/* Writes the lowercase hex digest of data[0..len) (64 characters and a NUL) into hex. */
void obl_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
