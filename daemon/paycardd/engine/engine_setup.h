/* SPDX-License-Identifier: MIT */
/*
 * The transaction engine inside paycardd: key store, journal (in
 * paycardd's database), host link and engine, wired to notices, logs and
 * the terminal's properties.  Without [host] primary in the config the
 * engine stays off and its methods answer NotSupported saying why.
 */
#ifndef PAYCARDD_ENGINE_SETUP_H
#define PAYCARDD_ENGINE_SETUP_H

#include <stdbool.h>

struct paycardd;
struct engine_job;

/* 0 (engine on, or off with the reason in d->engine_state), -1 fatal. */
int engine_start(struct paycardd *d);
void engine_stop(struct paycardd *d);

/* Config reloaded: pass the reloadable parts (fees, operator) on. */
void engine_reconfigure(struct paycardd *d);

/* Send the pending reversals (in the event loop), unless the link is busy. */
void engine_flush_reversals(struct paycardd *d);
/* Sign out (the working keys go at once; the 0820 in the event loop). */
void engine_sign_out(struct paycardd *d);
/* Before a transaction: sign in and send what is pending, as jobs in the
 * event loop.  True when one started (the transaction waits for the link). */
bool engine_catch_up(struct paycardd *d);

/* The starts of the terminal's exchanges as jobs (engine_job_new): the
 * engine's own and those a client asks for (SignIn, SignOut, Settle). */
int engine_sign_in_start(struct engine_job *job);
int engine_sign_out_start(struct engine_job *job);
int engine_settle_start(struct engine_job *job);

#endif
