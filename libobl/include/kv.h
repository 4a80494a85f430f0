/*
 * kv.h - a borrowed key/value pair: scenario keys and run tags.
 */
#ifndef OBL_KV_H
#define OBL_KV_H

struct obl_kv {
	const char *key, *value;
};

#endif
