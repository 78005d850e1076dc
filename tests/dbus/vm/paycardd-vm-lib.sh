# Sourced by paycardd-scenario.sh and paycardd-usb-scenario.sh (busybox sh
# in the test VM, where the harness puts both with this file under
# /lib/paycard-vm/scripts): paycardd's run directory and configuration,
# its start and stop, and the checks' helpers.  Not a scenario itself.

. /lib/paycard-vm/scripts/guest-lib.sh	# wait_for

# paycardd_vm_setup DIR: $run=DIR, the control socket, and the base
# paycardd.conf (a scenario may append sections).
paycardd_vm_setup() {
	run=$1
	mkdir -p $run
	export PAYCARD_SOCKET=/run/paycard/paycardd.sock
	cat >$run/paycardd.conf <<CONF
[daemon]
log_level = debug
system_bus = no
state_dir = $run/state
[readers]
backend = kernel
module_autoload = no
CONF
}

verdict() {	# name, condition already evaluated ($? of the caller), why
	if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1"; echo "  why: $3"; fi
}

readers() { paycardctl --json readers 2>&1; }

start_paycardd() {	# verdict name: paycardd up ($pid) with its socket
	paycardd --config $run/paycardd.conf >$run/paycardd.log 2>&1 &
	pid=$!
	wait_for 10 '[ -S $PAYCARD_SOCKET ]'
	verdict "$1" $? "no socket; log: $(tail -n 5 $run/paycardd.log)"
}

stop_paycardd() {	# verdict name: SIGTERM, a clean exit, the log's end
	kill -TERM $pid
	wait $pid
	verdict "$1" $? "$(tail -n 5 $run/paycardd.log)"
	echo "guest: $run/paycardd.log (last lines):"
	tail -n 15 $run/paycardd.log | sed 's/^/  /'
}
