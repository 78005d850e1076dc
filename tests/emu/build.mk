# tests/emu: the reader emulator (USB through FunctionFS, or SPI through
# the test SPI controller) and its control client.
# Linked statically: they run inside the VM's initramfs.
EMU_SRCS	:= $(addprefix tests/emu/,emu_main.c emu_link.c emu_gadget.c \
		   emu_spi.c emu_profile.c emu_reader.c emu_writer.c \
		   emu_control.c)
EMU_PROFILES	:= $(wildcard tests/emu/profiles/*.card)

$(BUILD)/paycard-emu: $(call obj,$(EMU_SRCS) $(FRAME_SRCS))
	$(CC) -static -pthread -o $@ $^

$(BUILD)/paycard-emuctl: $(call obj,tests/emu/paycard_emuctl.c)
	$(CC) -static -o $@ $^

PROGRAMS	+= $(BUILD)/paycard-emu $(BUILD)/paycard-emuctl
