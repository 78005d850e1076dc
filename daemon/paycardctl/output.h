/* SPDX-License-Identifier: MIT */
/* Output for humans or, with --json, one JSON document on stdout. */
#ifndef PAYCARDCTL_OUTPUT_H
#define PAYCARDCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

extern bool output_json;

/* A JSON string literal of @s, escaped, on @f. */
void json_string(FILE *f, const char *s);

/* key/value pairs inside an object that the caller opens and closes;
 * @first tells whether to omit the leading comma. */
void json_kv_string(FILE *f, bool *first, const char *key, const char *value);
void json_kv_bool(FILE *f, bool *first, const char *key, bool value);
void json_kv_uint(FILE *f, bool *first, const char *key, uint64_t value);

#endif
