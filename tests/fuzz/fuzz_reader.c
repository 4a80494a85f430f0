/*
 * fuzz_reader.c - a libFuzzer target for one reader (chosen at build time with
 * -DREADER=obl_reader_<name>): the input is a file's content; the reader must return a
 * status and leave no leak, crash or undefined behaviour, whatever the bytes.
 * Built and run by `make fuzz` (clang, -fsanitize=fuzzer,address,undefined).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

#ifndef READER
#error "build with -DREADER=obl_reader_<name>"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy: readers may rely on nothing past the end, so give them nothing. */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	struct obl_file f = { copy, size, "fuzz", 0 };
	struct obl_string_list columns = { 0 };
	struct obl_read_options opt = { &columns, NULL, NULL, 1, NULL };
	struct obl_batch batch;
	struct obl_error err;
	obl_batch_init(&batch);
	obl_error_clear(&err);
	(void)READER.detect(&f);
	(void)obl_reader_read(&READER, &f, &opt, &batch, &err);
	obl_batch_free(&batch);
	free(copy);
	return 0;
}
