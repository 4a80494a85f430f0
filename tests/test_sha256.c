/*
 * test_sha256.c - obl_sha256_hex against the known answers of FIPS 180-4's examples (NIST's
 * "SHA256.pdf" and the Secure Hash Standard's test vectors), including the empty message, a
 * message whose padding spills into a second block and one million 'a's; and the lengths
 * around the block's padding boundary (55, 56, 64 bytes), whose digests are coreutils'
 * sha256sum's.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sha256.h"

static void known(const char *name, const void *data, size_t len, const char *want)
{
	char hex[65];
	obl_sha256_hex(data, len, hex);
	if (!check(!strcmp(hex, want), "SHA-256 of %s", name))
		printf("#   got  %s\n#   want %s\n", hex, want);
}

int main(void)
{
	known("\"abc\"", "abc", 3,
	      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	known("the empty message", "", 0,
	      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	known("the 448-bit message (padding spills into a second block)", two_blocks,
	      strlen(two_blocks), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	const char *long_msg = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	known("the 896-bit message", long_msg, strlen(long_msg),
	      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	size_t million = 1000000;
	char *a = malloc(million);
	if (!check(a != NULL, "a buffer of one million bytes"))
		return 1;
	memset(a, 'a', million);
	known("one million 'a'", a, million,
	      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* 55, 56 and 64 bytes: the last lengths with one block, the first with two, one exact */
	known("55 'a'", a, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	known("56 'a'", a, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	known("64 'a'", a, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
	free(a);
	return check_failures != 0;
}
