#!/bin/sh
# paycardd with the real kernel driver and the reader emulator, inside the
# test VM (busybox sh).  Expects: the paycard modules loaded, systemd-udevd
# running with udev/60-paycard.rules, paycard-emu serving paycard0 (serial
# EMU0001) on dummy_udc.0 with control socket $PAYCARD_EMU, a free
# dummy_udc.1, and paycardd + paycardctl (with their libraries) in PATH.
# Prints "PASS name" / "FAIL name" lines like the other VM scenarios.
set -u
. /lib/paycard-vm/scripts/paycardd-vm-lib.sh
paycardd_vm_setup /run/paycardd-vm
cat >>$run/paycardd.conf <<CONF
[firmware]
PC-EMU 100 = 1.2.0
CONF
start_paycardd paycardd-start

paycardctl status | grep -q 'ModuleState        loaded, ABI 1'
verdict paycardd-module-abi $? "$(paycardctl status 2>&1 | grep ModuleState)"

wait_for 10 'readers | grep -q "\"Serial\":\"EMU0001\",\"Firmware\":\"1.0.0\",\"Transport\":\"usb\",\"Backend\":\"kernel\",\"Present\":true,\"Approved\":true"'
verdict paycardd-reader-pinned $? "$(readers)"

paycardctl notices | grep -q 'reader.firmware_old'
verdict paycardd-firmware-notice $? "$(paycardctl notices 2>&1)"

paycardctl read-card paycard0 20 >$run/read.out 2>$run/read.err &
rc_pid=$!
wait_for 5 'grep -q "waiting-card" $run/read.err'
paycard-emuctl swipe - 4012345678909=25121011000 - >/dev/null
wait $rc_pid
grep -q 'card read: magstripe 401234\*\*\*8909' $run/read.out
verdict paycardd-read-card $? "$(cat $run/read.out $run/read.err)"

paycard-emuctl unplug >/dev/null
wait_for 10 'readers | grep -q "\"Present\":false"'
verdict paycardd-unplug-seen $? "$(readers)"

paycard-emuctl replug >/dev/null
wait_for 15 'readers | grep -q "\"Serial\":\"EMU0001\".*\"Present\":true,\"Approved\":true"'
verdict paycardd-replug-approved $? "$(readers)"

# a second reader with another serial: held until a supervisor approves
paycard-emu --control /run/paycard-emu2.sock --name paycard1 --udc dummy_udc.1 \
	--serial EMU0002 --model "PC-EMU 100" --firmware 1.3.0 >$run/emu2.log 2>&1 &
emu2=$!
wait_for 20 'readers | grep -q "\"Serial\":\"EMU0002\".*\"Present\":true,\"Approved\":false"'
verdict paycardd-swapped-held $? "$(readers; tail -n 5 $run/emu2.log)"
paycardctl notices | grep -q 'reader.swapped'
verdict paycardd-swap-notice $? "$(paycardctl notices 2>&1)"
name2=$(readers | grep -o '"Name":"paycard[0-9]*","Model":"PC-EMU 100","Serial":"EMU0002"' | cut -d'"' -f4)
paycardctl read-card "${name2:-paycard1}" 2 2>&1 | grep -q NotApproved
verdict paycardd-swapped-refused $? "reader ${name2:-?}"
paycardctl approve EMU0002 >/dev/null
wait_for 5 'readers | grep -q "\"Serial\":\"EMU0002\".*\"Approved\":true"'
verdict paycardd-approved $? "$(readers)"

paycardctl doctor >$run/doctor.out
grep -q '^FAILING LAYER: sign-in' $run/doctor.out && grep -q 'ok    device nodes' $run/doctor.out
verdict paycardd-doctor $? "$(cat $run/doctor.out)"

kill $emu2 2>/dev/null
stop_paycardd paycardd-clean-exit
