// SPDX-License-Identifier: MIT
/* Randomness from the OpenSSL DRBG, direct or through a per-thread pool. */
#include <pthread.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include "crypto/cipher.h"
#include "crypto/random_pool.h"

static _Thread_local struct {
	uint8_t buf[4096];
	size_t used;		/* bytes handed out (and wiped) */
	int filled;
} pool;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* A forked child must not hand out its parent's bytes again. */
static void child_after_fork(void)
{
	OPENSSL_cleanse(&pool, sizeof(pool));
}

static void register_atfork(void)
{
	pthread_atfork(NULL, NULL, child_after_fork);
}

enum pcc_status pcc_random(uint8_t *out, size_t len)
{
	if (len > INT32_MAX)
		return PCC_E_DATA_LENGTH;
	return RAND_bytes(out, (int)len) == 1 ? PCC_OK : PCC_E_CIPHER;
}

enum pcc_status pcc_random_pooled(uint8_t *out, size_t len)
{
	if (len > PCC_RANDOM_POOL_MAX)
		return PCC_E_DATA_LENGTH;
	pthread_once(&atfork_once, register_atfork);
	if (!pool.filled || pool.used + len > sizeof(pool.buf)) {
		if (RAND_bytes(pool.buf, sizeof(pool.buf)) != 1)
			return PCC_E_CIPHER;
		pool.used = 0;
		pool.filled = 1;
	}
	memcpy(out, pool.buf + pool.used, len);
	OPENSSL_cleanse(pool.buf + pool.used, len);
	pool.used += len;
	return PCC_OK;
}
