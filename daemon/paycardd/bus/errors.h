/* SPDX-License-Identifier: MIT */
/* D-Bus error names of the org.paycard API (docs/dbus/README.md lists
 * them): the bus layer's own, and the tables for the errors of the layers
 * below, which name no D-Bus error themselves: the transaction library's
 * (enum txn_error) and the card session's (enum session_error). */
#ifndef PAYCARDD_ERRORS_H
#define PAYCARDD_ERRORS_H

#include "paycardd/session/card_session.h"
#include "txn/engine.h"

#define PAYCARD_ERROR_NOT_SUPPORTED	"org.paycard.Error.NotSupported"
#define PAYCARD_ERROR_BUSY		"org.paycard.Error.Busy"
#define PAYCARD_ERROR_CANCELLED		"org.paycard.Error.Cancelled"
#define PAYCARD_ERROR_TIMEOUT		"org.paycard.Error.Timeout"
#define PAYCARD_ERROR_NO_SUCH_READER	"org.paycard.Error.NoSuchReader"
#define PAYCARD_ERROR_READER_GONE	"org.paycard.Error.ReaderGone"
#define PAYCARD_ERROR_NOT_APPROVED	"org.paycard.Error.NotApproved"
#define PAYCARD_ERROR_NOTHING_TO_CANCEL	"org.paycard.Error.NothingToCancel"
#define PAYCARD_ERROR_FAILED		"org.paycard.Error.Failed"
#define PAYCARD_ERROR_BAD_KEY_BLOCK	"org.paycard.Error.BadKeyBlock"
#define PAYCARD_ERROR_KEY_BLOCK_MAC	"org.paycard.Error.KeyBlockMac"
#define PAYCARD_ERROR_WRONG_KEY_USAGE	"org.paycard.Error.WrongKeyUsage"
#define PAYCARD_ERROR_NO_KBPK		"org.paycard.Error.NoKbpk"
#define PAYCARD_ERROR_CARD_ERROR	"org.paycard.Error.CardError"
#define PAYCARD_ERROR_ACCESS_DENIED	"org.freedesktop.DBus.Error.AccessDenied"
#define PAYCARD_ERROR_INVALID_ARGS	"org.freedesktop.DBus.Error.InvalidArgs"

/* The D-Bus name of the library's @error; Failed for one it does not know. */
const char *bus_error_from_txn(enum txn_error error);
/* The same for the card session's @error. */
const char *bus_error_from_session(enum session_error error);

#endif
