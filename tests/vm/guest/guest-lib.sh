# Shell helpers shared by the guest's scenario scripts (busybox sh in the
# test VM), sourced from /lib/paycard-vm/scripts/guest-lib.sh by
# tests/dbus/vm/paycardd-vm-lib.sh and tests/demo/vm/demo-world.sh.

wait_for() {	# seconds, shell condition
	n=0
	while [ $n -lt $(($1 * 10)) ]; do
		eval "$2" && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
