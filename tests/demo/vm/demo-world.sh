# The test world of `make demo` and the txn-vm suite, sourced by
# demo-show.sh and demo-scenarios.sh inside the test VM (busybox sh):
# paycard-hostsim (the acquirer) on the guest's loopback, the terminal's
# key store, paycardd with the real kernel driver and the reader emulator
# (paycard-emu, started by the guest's init), and the cardholder's side
# played through paycard-emuctl while paycardctl waits.
#
# Expects what tests/dbus/vm/paycardd-scenario.sh expects: our modules
# loaded ("load" step), udevd with our rules, paycard-emu serving paycard0
# with its control socket in $PAYCARD_EMU, paycardd, paycardctl,
# paycard-hostsim and txn-keystore-init with their libraries in PATH.

. /lib/paycard-vm/scripts/guest-lib.sh	# wait_for

run=/run/paycard-demo
mkdir -p $run
export PAYCARD_SOCKET=/run/paycard/paycardd.sock
READER=paycard0
CARDS=/etc/paycard/cards
TID=10000159
MID=898100012340001
SHOP="Paycard Demo Shop"
TMK=70F2A84CCBC2AE8625CBB0F2C22AB923	# DESIGN.md's UnionPay master key vector

# Test cards.  The stripe PANs are Luhn-valid (check digits computed by
# hand with ISO/IEC 7812-1), the same numbers as tests/txn/txnworld.py.
DEBIT=6222021234567890128	# debit, PIN 907153, 10,000.00 CNY
DEBIT_PIN=907153
POOR=6222029999888877770	# debit, PIN 4321, 10.00 CNY
POOR_PIN=4321
CHIPSTRIPE=6222025555666677776	# a chip card's stripe (service code 201)
# The virtual EMV card of tests/emu/card/profiles/unionpay-debit.card
# (the emulator profile emv-vcard-unionpay.card answers with it): the host
# holds its issuer master key ("imk" there) to verify the ARQC.
VCARD=6212345678901232
VCARD_PIN=1234
VCARD_IMK=0123456789ABCDEFFEDCBA9876543210
VCARD_PROFILE=$CARDS/emv-vcard-unionpay.card
# A counterfeit of that card: its records copied (same PAN, PSN, expiry),
# but its cryptograms computed under a key of the counterfeiter's, since
# the issuer master key never leaves the genuine card's issuer (the key
# is tests/txn/txnworld.py's FAKE_KEY).  counterfeit_profile writes it.
FAKE_IMK=00112233445566778899AABBCCDDEEFF

# track 2 of a stripe card: PAN=YYMM + service code + discretionary data
track2() { echo "$1=3012${2:-101}0000123456"; }

host_config() {
	cat <<INI
[host]
acquirer_id = 48021000
ledger = $run/ledger.sqlite
[terminal $TID]
merchant = $MID
name = $SHOP
master_key = $TMK
[card $DEBIT]
pin = $DEBIT_PIN
balance = 1000000
type = debit
[card $POOR]
pin = $POOR_PIN
balance = 1000
type = debit
[card $VCARD]
pin = $VCARD_PIN
balance = 100000
type = debit
issuer_key = $VCARD_IMK
; amount in fen -> how the host misbehaves for that request
[faults]
8002 = noanswer
8005 = badmac
8006 = merchant:898100066666666
8011 = delay:2500
8012 = delay:2000
INI
}

terminal_config() {
	cat <<CONF
[daemon]
log_level = info
system_bus = no
state_dir = $run/state
[readers]
backend = kernel
module_autoload = no
[terminal]
terminal_id = $TID
merchant_id = $MID
merchant_name = $SHOP
operator_id = 001
sign_in_keys = 003
pin_timeout_s = 30
reversal_attempts = 5
reversal_retry_s = 2
[host]
primary = 127.0.0.1:$(cat $run/port)
connect_timeout_ms = 2000
io_timeout_ms = 5000
[keys]
store = $run/keystore
storage_key = $run/storage.key
[fees]
debit = 50 2000
credit = 60
CONF
}

# world_start: the host, the key store, paycardd; returns non-zero with
# the reason in $run/why when a part did not come up.
world_start() {
	world_start_parts >$run/why
}

world_start_parts() {
	ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
	host_config >$run/hostsim.ini
	paycard-hostsim --config $run/hostsim.ini --listen 127.0.0.1:0 \
		--port-file $run/port >/dev/null 2>$run/hostsim.log &
	hostsim_pid=$!
	wait_for 10 '[ -s $run/port ]' ||
		{ echo "paycard-hostsim did not start: $(tail -n 3 $run/hostsim.log)"; return 1; }
	txn-keystore-init $run/keystore $run/storage.key $TMK >/dev/null ||
		{ echo "txn-keystore-init failed"; return 1; }
	terminal_config >$run/paycardd.conf
	paycardd_start
}

# paycardd_start: paycardd up and signed in (at start, after a crash)
paycardd_start() {
	paycardd --config $run/paycardd.conf >>$run/paycardd.log 2>&1 &
	paycardd_pid=$!
	wait_for 10 '[ -S $PAYCARD_SOCKET ]' ||
		{ echo "paycardd has no socket: $(tail -n 5 $run/paycardd.log)"; return 1; }
	wait_for 15 'paycardctl status 2>/dev/null | grep -q "SignedIn  *yes"' ||
		{ echo "not signed in: $(paycardctl status 2>&1; tail -n 5 $run/paycardd.log)"; return 1; }
	return 0
}

# paycardd stopped cleanly (SIGTERM), its journal closed
paycardd_stop() {
	kill -TERM $paycardd_pid 2>/dev/null
	wait $paycardd_pid 2>/dev/null
}

world_stop() {
	paycardd_stop
	kill -TERM $hostsim_pid 2>/dev/null
	wait $hostsim_pid 2>/dev/null
}

# A transaction through paycardctl, with the cardholder played meanwhile:
#   txn_start NAME [--json] COMMAND ARGS...   (background; progress in
#                                              $run/NAME.err, result in
#                                              $run/NAME.out)
#   await NAME PATTERN [SECONDS]              progress line seen
#   emu ARGS...                               the cardholder acts
#   txn_end NAME                              paycardctl's exit status
# SHOW=1 also copies the progress (the cashier's screen) to the console
# as it happens.
# a prompt comes as "English / Chinese"; without the translations in the
# guest both halves are English: shown once.  paycardctl's own errors are
# not on the screen.
show_progress() {
	if [ "${1#paycardctl: }" != "$1" ]; then
		echo "    $1"
	elif [ "${1% / *}" = "${1#* / }" ]; then
		echo "    screen: ${1% / *}"
	else
		echo "    screen: $1"
	fi
}

txn_start() {
	name=$1; shift
	: >$run/$name.err
	if [ "${SHOW:-0}" = 1 ]; then
		( paycardctl "$@" 2>&1 >$run/$name.out | tee $run/$name.err |
			while IFS= read -r line; do
				show_progress "${line#\[$READER\] }"
			done ) &
	else
		paycardctl "$@" >$run/$name.out 2>$run/$name.err &
	fi
	txn_pid=$!
}

await() {
	wait_for "${3:-20}" "grep -q '$2' $run/$1.err"
}

emu() {
	paycard-emuctl "$@" >/dev/null
}

txn_end() {
	wait $txn_pid
}

# the PIN typed on the reader's keypad one key at a time, then Enter
type_pin() {
	for d in $(echo "$1" | sed 's/./& /g'); do
		emu key "$d"
		sleep "${KEY_PAUSE:-0.1}"
	done
	emu key enter
}

# field of paycardctl's result: JSON ("key":value) or text ("key   value")
field() {	# name, file
	sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p; s/^$1  *//p" "$2" | head -n 1
}

# counterfeit_profile: the emulator profile of the counterfeit card,
# written to $run from the genuine card's files (only the issuer master
# key differs); its path on stdout, nothing when the key was not replaced
counterfeit_profile() {
	sed "s/^imk .*/imk $FAKE_IMK/" $CARDS/vcard-unionpay-debit.card \
		>$run/vcard-counterfeit.card
	sed -e 's/^name .*/name emv-vcard-counterfeit/' \
		-e 's/^emv-card .*/emv-card vcard-counterfeit.card/' $VCARD_PROFILE \
		>$run/emv-vcard-counterfeit.card
	grep -q "^imk $FAKE_IMK\$" $run/vcard-counterfeit.card &&
		grep -q '^emv-card vcard-counterfeit.card$' $run/emv-vcard-counterfeit.card &&
		echo $run/emv-vcard-counterfeit.card
}
