// SPDX-License-Identifier: MIT
#include "hostlink/hostlink.h"

const char *hostlink_strerror(enum hostlink_err err)
{
	switch (err) {
	case HL_OK:			return "ok";
	case HL_ERR_CONFIG:		return "host link configuration is unusable";
	case HL_ERR_RESOLVE:		return "host name does not resolve";
	case HL_ERR_REFUSED:		return "connection refused by the host";
	case HL_ERR_UNREACHABLE:	return "host or network unreachable";
	case HL_ERR_CONNECT_TIMEOUT:	return "no connection within the timeout";
	case HL_ERR_TLS_HANDSHAKE:	return "TLS handshake failed";
	case HL_ERR_TLS_VERIFY:		return "host certificate not accepted";
	case HL_ERR_TIMEOUT:		return "no answer within the timeout";
	case HL_ERR_RESET:		return "connection reset by the host";
	case HL_ERR_CLOSED:		return "host closed the connection";
	case HL_ERR_SHORT_FRAME:	return "host closed the connection inside a frame";
	case HL_ERR_FRAME_TOO_LONG:	return "frame longer than allowed";
	case HL_ERR_BAD_FRAME:		return "frame length prefix is wrong";
	case HL_ERR_NOT_CONNECTED:	return "not connected";
	case HL_ERR_IO:			return "network I/O error";
	case HL_IN_PROGRESS:		return "in progress";
	}
	return "unknown error";
}
