// SPDX-License-Identifier: MIT
#include "paycardd/session/prompts.h"

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_DOMAIN	"paycardd"
#define N_(s)		s	/* marks a msgid for xgettext */

static const struct {
	const char *id;
	const char *msgid;
} prompts[PROMPT_COUNT] = {
	[PROMPT_INSERT_OR_SWIPE] = { "insert-or-swipe", N_("Insert or swipe the card") },
	[PROMPT_READING_CARD] = { "reading-card", N_("Reading the card, do not remove it") },
	[PROMPT_CARD_READ] = { "card-read", N_("Card read") },
	[PROMPT_REMOVE_CARD] = { "remove-card", N_("Please remove the card") },
	[PROMPT_CANCELLED] = { "cancelled", N_("Cancelled") },
	[PROMPT_TIMEOUT] = { "timeout", N_("No card presented in time") },
	[PROMPT_READ_FAILED] = { "read-failed", N_("The card could not be read, try again") },
	[PROMPT_READER_GONE] = { "reader-gone", N_("The card reader was disconnected") },
	[PROMPT_INSERT_CHIP] = { "insert-chip", N_("Chip card: please insert the card instead") },
	[PROMPT_ENTER_PIN] = { "enter-pin", N_("Enter the PIN on the reader, then press Enter") },
	[PROMPT_PROCESSING] = { "processing", N_("Processing, please wait") },
	[PROMPT_APPROVED] = { "approved", N_("Approved") },
	[PROMPT_DECLINED] = { "declined", N_("Declined") },
	[PROMPT_REVERSED] = { "reversed", N_("No valid answer: the transaction was reversed") },
	[PROMPT_CHIP_FAILED_SWIPE] = { "chip-failed-swipe",
				       N_("The chip could not be read: remove the card and swipe it") },
	[PROMPT_CHIP_FAILED] = { "chip-failed",
				 N_("The chip could not be read: use another card") },
};

static char *zh_cn[PROMPT_COUNT];

/* glibc caches translations; this counter tells it the catalog choice changed */
extern int _nl_msg_cat_cntr;

void prompts_load(const char *localedir)
{
	char *saved_language = getenv("LANGUAGE") ? strdup(getenv("LANGUAGE")) : NULL;

	/* LANGUAGE is honoured only when LC_MESSAGES is not "C" */
	setlocale(LC_MESSAGES, "C.UTF-8");
	bindtextdomain(TEXT_DOMAIN, localedir);
	bind_textdomain_codeset(TEXT_DOMAIN, "UTF-8");
	setenv("LANGUAGE", "zh_CN", 1);
	++_nl_msg_cat_cntr;
	for (int i = 0; i < PROMPT_COUNT; i++) {
		free(zh_cn[i]);
		zh_cn[i] = strdup(dgettext(TEXT_DOMAIN, prompts[i].msgid));
	}
	if (saved_language)
		setenv("LANGUAGE", saved_language, 1);
	else
		unsetenv("LANGUAGE");
	free(saved_language);
	++_nl_msg_cat_cntr;
}

const char *prompt_id(enum prompt p)
{
	return prompts[p].id;
}

const char *prompt_text_en(enum prompt p)
{
	return prompts[p].msgid;
}

const char *prompt_text_zh_cn(enum prompt p)
{
	/* before prompts_load, or without a catalog: English */
	return zh_cn[p] ? zh_cn[p] : prompts[p].msgid;
}
