#!/bin/sh
# Transactions in the test VM (busybox sh): paycardd with the real kernel
# driver and the reader emulator, paycard-hostsim on the guest's loopback.
# PREPARED FOR THE VM ROUND, NOT RUN YET: the harness must copy into the
# guest paycard-hostsim, txn-keystore-init (build/tests/) and this script,
# besides paycardd, paycardctl and paycard-emuctl (see tests/txn/vm/README).
# Expects what tests/dbus/vm/paycardd-scenario.sh expects: modules loaded,
# udevd with our rules, paycard-emu serving paycard0 on $PAYCARD_EMU.
# Prints "PASS name" / "FAIL name" lines; DEMO=1 also prints the receipts
# and the settlement report (make demo).
set -u
run=/run/paycard-txn
mkdir -p $run
export PAYCARD_SOCKET=/run/paycard/paycardd.sock
TMK=70F2A84CCBC2AE8625CBB0F2C22AB923	# DESIGN.md's UnionPay master key vector
DEBIT=6222021234567890128		# Luhn-valid test cards (tests/txn/txnworld.py)
PIN=907153
CHIP=6222025555666677771

verdict() {	# name, status, why
	if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1"; echo "  why: $3"; fi
}
say() { [ "${DEMO:-0}" = 1 ] && echo "== $*"; return 0; }

wait_for() {	# seconds, shell condition
	n=0
	while [ $n -lt $(($1 * 10)) ]; do
		eval "$2" && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

cat >$run/hostsim.ini <<INI
[host]
acquirer_id = 48021000
ledger = $run/ledger.sqlite
[terminal 10000159]
merchant = 898100012340001
name = Paycard Demo Shop
master_key = $TMK
[card $DEBIT]
pin = $PIN
balance = 1000000
type = debit
INI
paycard-hostsim --config $run/hostsim.ini --listen 127.0.0.1:0 --port-file $run/port \
	>/dev/null 2>$run/hostsim.log &
wait_for 10 '[ -s $run/port ]'
verdict txn-hostsim-start $? "$(tail -n 3 $run/hostsim.log)"
txn-keystore-init $run/keystore $run/storage.key $TMK
verdict txn-keystore $? "txn-keystore-init failed"

cat >$run/paycardd.conf <<CONF
[daemon]
log_level = info
system_bus = no
state_dir = $run/state
[readers]
backend = kernel
module_autoload = no
[terminal]
terminal_id = 10000159
merchant_id = 898100012340001
merchant_name = Paycard Demo Shop
pin_timeout_s = 30
[host]
primary = 127.0.0.1:$(cat $run/port)
io_timeout_ms = 5000
[keys]
store = $run/keystore
storage_key = $run/storage.key
CONF

say "starting paycardd; it signs in to the acquirer"
paycardd --config $run/paycardd.conf >$run/paycardd.log 2>&1 &
wait_for 10 '[ -S $PAYCARD_SOCKET ]'
wait_for 10 'paycardctl status | grep -q "SignedIn  *yes"'
verdict txn-signed-in $? "$(paycardctl status 2>&1; tail -n 5 $run/paycardd.log)"

# run a paycardctl transaction in the background, play the cardholder
txn() {	# name, emuctl actions (";"-separated), paycardctl args...
	name=$1; acts=$2; shift 2
	paycardctl --json "$@" >$run/$name.out 2>$run/$name.err &
	p=$!
	wait_for 10 'grep -q "state: waiting-card" $run/$name.err'
	echo "$acts" | tr ';' '\n' | while read -r a; do
		[ -n "$a" ] && paycard-emuctl $a >/dev/null
		sleep 0.2
	done
	wait $p
	[ "${DEMO:-0}" = 1 ] && cat $run/$name.err
}

say "swipe sale of 12.34 CNY with PIN"
txn sale "swipe - $DEBIT=30121010000123456 -;key 9 0 7 1 5 3 enter" sale paycard0 12.34
grep -q '"result":"approved"' $run/sale.out
verdict txn-swipe-sale $? "$(cat $run/sale.out $run/sale.err)"
! grep -q "$PIN" $run/sale.err
verdict txn-pin-never-shown $? "the PIN appeared in paycardctl's output"
id=$(sed -n 's/.*"journal_id":\([0-9]*\).*/\1/p' $run/sale.out)
stan=$(sed -n 's/.*"stan":"\([0-9]*\)".*/\1/p' $run/sale.out)
paycardctl receipt "$id" >$run/receipt.txt
grep -q "CNY 12.34" $run/receipt.txt
verdict txn-receipt $? "$(cat $run/receipt.txt)"
[ "${DEMO:-0}" = 1 ] && cat $run/receipt.txt

say "a chip card swiped is told to insert"
txn chipswipe "swipe - $CHIP=30122010000123456 -;key cancel" sale paycard0 1.00
grep -q 'insert-chip' $run/chipswipe.err
verdict txn-chip-swiped-prompt $? "$(cat $run/chipswipe.err)"

say "void of the sale"
txn void "swipe - $DEBIT=30121010000123456 -" void paycard0 "$stan"
grep -q '"result":"approved"' $run/void.out
verdict txn-void $? "$(cat $run/void.out $run/void.err)"

say "settlement"
paycardctl settle >$run/settle.out 2>&1
grep -q 'balanced.*true' $run/settle.out
verdict txn-settle-balanced $? "$(cat $run/settle.out)"
[ "${DEMO:-0}" = 1 ] && cat $run/settle.out

! grep -q "$DEBIT" $run/paycardd.log $run/state/paycardd.db* 2>/dev/null
verdict txn-no-pan-stored $? "a full PAN in the journal or log"
