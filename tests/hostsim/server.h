/* SPDX-License-Identifier: MIT */
#ifndef PAYCARD_HOSTSIM_SERVER_H
#define PAYCARD_HOSTSIM_SERVER_H

#include <openssl/ssl.h>

#include "hostsim.h"

/* Listening socket on the configured address; @bound_port gets the port
 * actually bound (the config may say 0). */
int hs_listen(const struct hs_config *cfg, char *bound_port, size_t size);
SSL_CTX *hs_tls_context(const struct hs_config *cfg);
/* Accept connections forever, each served by its own thread. */
void hs_serve(struct hs_host *host, int lfd, SSL_CTX *tls);

#endif
