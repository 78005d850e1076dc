// SPDX-License-Identifier: MIT
/*
 * TLS client over OpenSSL 3: TLS 1.2 or later, the server certificate
 * checked against the configured CA and the expected name, optional client
 * certificate.  The handshake runs step by step on the non-blocking socket.
 */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "hostlink/internal.h"

static void openssl_reason(char *detail, const char *what)
{
	unsigned long e = ERR_get_error();
	char text[120];

	ERR_error_string_n(e, text, sizeof(text));
	snprintf(detail, DETAIL_MAX, "%s: %s", what, e ? text : "no detail");
	ERR_clear_error();
}

SSL_CTX *tls_context_new(const struct hostlink_config *cfg, char *detail)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx) {
		openssl_reason(detail, "SSL_CTX_new");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	/* Frames carry their own length, so a truncated stream is seen as a
	 * short frame; report EOF as EOF rather than as a TLS protocol error. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	if (!cfg->ca_file || SSL_CTX_load_verify_locations(ctx, cfg->ca_file, NULL) != 1) {
		openssl_reason(detail, cfg->ca_file ? cfg->ca_file : "no CA file");
		goto fail;
	}
	if (cfg->cert_file &&
	    (SSL_CTX_use_certificate_chain_file(ctx, cfg->cert_file) != 1 ||
	     SSL_CTX_use_PrivateKey_file(ctx, cfg->key_file ? cfg->key_file
					 : cfg->cert_file, SSL_FILETYPE_PEM) != 1 ||
	     SSL_CTX_check_private_key(ctx) != 1)) {
		openssl_reason(detail, cfg->cert_file);
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

static enum hostlink_err handshake_failure(SSL *ssl, int ret, char *detail)
{
	long verify = SSL_get_verify_result(ssl);
	int e = SSL_get_error(ssl, ret);

	if (verify != X509_V_OK) {
		snprintf(detail, DETAIL_MAX, "certificate: %s",
			 X509_verify_cert_error_string(verify));
		ERR_clear_error();
		return HL_ERR_TLS_VERIFY;
	}
	if (e == SSL_ERROR_SYSCALL && errno == ECONNRESET)
		snprintf(detail, DETAIL_MAX, "handshake: connection reset");
	else
		openssl_reason(detail, "handshake");
	return HL_ERR_TLS_HANDSHAKE;
}

enum hostlink_err tls_start(SSL_CTX *ctx, int fd, const char *name, SSL **out,
			    char *detail)
{
	SSL *ssl = SSL_new(ctx);

	if (!ssl || SSL_set_fd(ssl, fd) != 1 || SSL_set1_host(ssl, name) != 1 ||
	    SSL_set_tlsext_host_name(ssl, name) != 1) {
		openssl_reason(detail, "TLS setup");
		SSL_free(ssl);
		return HL_ERR_CONFIG;
	}
	*out = ssl;
	return HL_OK;
}

enum hostlink_err tls_handshake_step(SSL *ssl, short *want, char *detail)
{
	int ret, e;

	ERR_clear_error();
	errno = 0;
	ret = SSL_connect(ssl);
	if (ret == 1)
		return HL_OK;
	e = SSL_get_error(ssl, ret);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		*want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return HL_IN_PROGRESS;
	}
	return handshake_failure(ssl, ret, detail);
}
