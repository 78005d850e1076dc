# tests/emu: the reader emulator (USB through FunctionFS, or SPI through
# the test SPI controller) and its control client.
# Linked statically: they run inside the VM's initramfs.
EMU_SRCS	:= $(addprefix tests/emu/,emu_main.c emu_link.c emu_gadget.c \
		   emu_spi.c emu_profile.c emu_reader.c emu_rx.c emu_writer.c \
		   emu_control.c emu_hostile.c)
EMU_PROFILES	:= $(wildcard tests/emu/profiles/*.card)

# the virtual EMV card behind a profile's emv-card line, and the EMV
# cryptograms it computes with
EMU_VCARD_SRCS	:= $(VCARD_SRCS) $(EMV_TLV_SRCS)

$(BUILD)/paycard-emu: $(call obj,$(EMU_SRCS) $(FRAME_SRCS) $(EMU_VCARD_SRCS)) \
		$(EMV_LIB) $(CRYPTO_LIB) $(BUILD)/libpaycard-common.a
	$(CC) -static -pthread -o $@ $^ $(CRYPTO_LDLIBS)

$(BUILD)/paycard-emuctl: $(call obj,tests/emu/paycard_emuctl.c)
	$(CC) -static -o $@ $^

PROGRAMS	+= $(BUILD)/paycard-emu $(BUILD)/paycard-emuctl
