#!/bin/sh
# paycardd's userspace USB transport inside the test VM: the paycard
# modules are NOT loaded, paycard-emu serves paycard0 (serial EMU0001) on
# dummy_udc.0 with control socket $PAYCARD_EMU.  paycardd must notice the
# missing module, say so once, and drive the reader through libusb.
# Prints "PASS name" / "FAIL name" lines.
set -u
. /lib/paycard-vm/scripts/paycardd-vm-lib.sh
paycardd_vm_setup /run/paycardd-usb
start_paycardd usb-paycardd-start

paycardctl notices | grep -q 'reader.userspace_transport'
verdict usb-transport-notice $? "$(paycardctl notices 2>&1; paycardctl status 2>&1 | grep Module)"

wait_for 10 'readers | grep -q "\"Serial\":\"EMU0001\",\"Firmware\":\"1.0.0\",\"Transport\":\"usb\",\"Backend\":\"libusb\",\"Present\":true,\"Approved\":true"'
verdict usb-reader-found $? "$(readers; tail -n 5 $run/paycardd.log)"
name=$(readers | grep -o '"Name":"usb[0-9_]*"' | head -n 1 | cut -d'"' -f4)

paycardctl read-card "${name:-usb1_1}" 20 >$run/read.out 2>$run/read.err &
rc_pid=$!
wait_for 5 'grep -q "waiting-card" $run/read.err'
# a Luhn-valid 19-digit PAN (check digit 9: tests/dbus/test_api.py)
paycard-emuctl swipe - 6212345678901234569=25122011234 - >/dev/null
wait $rc_pid
grep -q 'card read: magstripe 621234\*\*\*\*\*\*\*\*\*4569' $run/read.out
verdict usb-read-card-swipe $? "$(cat $run/read.out $run/read.err)"

paycard-emuctl insert >/dev/null
wait_for 5 'readers | grep -q "\"CardPresent\":true"'
verdict usb-card-inserted $? "$(readers)"
paycard-emuctl remove >/dev/null

paycard-emuctl unplug >/dev/null
wait_for 10 'readers | grep -q "\"Present\":false"'
verdict usb-unplug-seen $? "$(readers)"
paycard-emuctl replug >/dev/null
wait_for 15 'readers | grep -q "\"Serial\":\"EMU0001\".*\"Present\":true,\"Approved\":true"'
verdict usb-replug $? "$(readers; tail -n 5 $run/paycardd.log)"

stop_paycardd usb-clean-exit
