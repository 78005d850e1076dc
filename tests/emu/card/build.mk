# tests/emu/card: the virtual EMV card (a profile, its answers, and the
# issuer/card side of offline data authentication).  Only a source list:
# the emulator, the tests' paycardd, the host simulator's test and the unit
# suites and fuzzers that play a card link $(VCARD_SRCS).  Included before
# the fragments that use it.
VCARD_SRCS	:= tests/emu/card/virtual_card.c tests/emu/card/card_profile.c \
		   tests/emu/card/emv_signer.c
