// SPDX-License-Identifier: MIT
#include "paycardd/bus/errors.h"

static const char *const txn_error_names[TXN_ERROR_COUNT] = {
	[TXN_ERROR_FAILED]		= PAYCARD_ERROR_FAILED,
	[TXN_ERROR_BUSY]		= PAYCARD_ERROR_BUSY,
	[TXN_ERROR_CANCELLED]		= PAYCARD_ERROR_CANCELLED,
	[TXN_ERROR_NOT_SIGNED_IN]	= "org.paycard.Error.NotSignedIn",
	[TXN_ERROR_REVERSAL_PENDING]	= "org.paycard.Error.ReversalPending",
	[TXN_ERROR_NO_ORIGINAL]		= "org.paycard.Error.NoOriginal",
	[TXN_ERROR_CARD_ERROR]		= PAYCARD_ERROR_CARD_ERROR,
	[TXN_ERROR_CARD_MISMATCH]	= "org.paycard.Error.CardMismatch",
	[TXN_ERROR_KEY_ERROR]		= "org.paycard.Error.KeyError",
	[TXN_ERROR_HOST_UNREACHABLE]	= "org.paycard.Error.HostUnreachable",
	[TXN_ERROR_HOST_TIMEOUT]	= "org.paycard.Error.HostTimeout",
	[TXN_ERROR_HOST_ERROR]		= "org.paycard.Error.HostError",
	[TXN_ERROR_HOST_MISMATCH]	= "org.paycard.Error.HostMismatch",
	[TXN_ERROR_ORIGINAL_LIMIT]	= "org.paycard.Error.OriginalLimit",
};

const char *bus_error_from_txn(enum txn_error error)
{
	if ((unsigned)error < TXN_ERROR_COUNT && txn_error_names[error])
		return txn_error_names[error];
	return PAYCARD_ERROR_FAILED;
}

static const char *const session_error_names[SESSION_ERROR_COUNT] = {
	[SESSION_ERROR_FAILED]			= PAYCARD_ERROR_FAILED,
	[SESSION_ERROR_BUSY]			= PAYCARD_ERROR_BUSY,
	[SESSION_ERROR_READER_GONE]		= PAYCARD_ERROR_READER_GONE,
	[SESSION_ERROR_NOT_APPROVED]		= PAYCARD_ERROR_NOT_APPROVED,
	[SESSION_ERROR_NOTHING_TO_CANCEL]	= PAYCARD_ERROR_NOTHING_TO_CANCEL,
	[SESSION_ERROR_CANCELLED]		= PAYCARD_ERROR_CANCELLED,
	[SESSION_ERROR_TIMEOUT]			= PAYCARD_ERROR_TIMEOUT,
	[SESSION_ERROR_CARD_ERROR]		= PAYCARD_ERROR_CARD_ERROR,
	[SESSION_ERROR_CARD_REMOVED]		= "org.paycard.Error.CardRemoved",
	[SESSION_ERROR_CARD_DECLINED]		= "org.paycard.Error.CardDeclined",
};

const char *bus_error_from_session(enum session_error error)
{
	if ((unsigned)error < SESSION_ERROR_COUNT && session_error_names[error])
		return session_error_names[error];
	return PAYCARD_ERROR_FAILED;
}
