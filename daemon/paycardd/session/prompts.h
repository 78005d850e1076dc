/* SPDX-License-Identifier: MIT */
/* Cashier prompts: a stable message id plus its text in English and
 * Simplified Chinese, from the gettext catalog "paycardd". */
#ifndef PAYCARDD_PROMPTS_H
#define PAYCARDD_PROMPTS_H

enum prompt {
	PROMPT_INSERT_OR_SWIPE,
	PROMPT_READING_CARD,
	PROMPT_CARD_READ,
	PROMPT_REMOVE_CARD,
	PROMPT_CANCELLED,
	PROMPT_TIMEOUT,
	PROMPT_READ_FAILED,
	PROMPT_READER_GONE,
	PROMPT_INSERT_CHIP,
	PROMPT_ENTER_PIN,
	PROMPT_PROCESSING,
	PROMPT_APPROVED,
	PROMPT_DECLINED,
	PROMPT_REVERSED,
	PROMPT_CHIP_FAILED_SWIPE,
	PROMPT_CHIP_FAILED,
	PROMPT_COUNT
};

/* Look every prompt up in @localedir once (the daemon never switches
 * locale afterwards). */
void prompts_load(const char *localedir);

const char *prompt_id(enum prompt p);
const char *prompt_text_en(enum prompt p);
const char *prompt_text_zh_cn(enum prompt p);

#endif
