#!/bin/sh
# `make demo` inside the test VM (busybox sh): a cashier's day on the
# paycard stack, narrated.  paycardd with the real kernel driver and the
# emulated reader, paycard-hostsim as the acquirer (demo-world.sh); the
# cashier uses paycardctl, the customer is played through paycard-emuctl
# while paycardctl waits.  The cashier's screen (paycardctl's progress:
# prompts, PIN digit count) is shown as it happens, lines "screen: ...".
# A step that goes wrong prints "FAIL demo-STEP" (make demo then fails).
set -u
. /lib/paycard-vm/scripts/demo-world.sh
SHOW=1
KEY_PAUSE=0.4	# the customer types at a human pace: watch the stars

say() { echo; echo "== $*"; }
tell() { echo "   $*"; }
cashier() { echo "   cashier\$ paycardctl $*"; }
indent() { sed 's/^/    /' "$@"; }
failed() {	# STEP WHY
	echo "FAIL demo-$1"
	echo "  why: $2"
}
result_of() {	# NAME: the result lines the cashier reads
	grep -E '^(result|response_code|message|amount|fee|stan|auth_code|rrn|card_cryptogram) ' \
		$run/$1.out | indent
}

# swipe_sale NAME AMOUNT: the cashier's sale, the debit card swiped, its PIN
swipe_sale() {
	cashier sale $READER $2
	txn_start $1 sale $READER $2
	await $1 'state: waiting-card'
	sleep 1
	tell "The customer swipes a magnetic stripe debit card."
	emu swipe - "$(track2 $DEBIT)" -
	await $1 'Enter the PIN'
	tell "The customer types the PIN."
	type_pin $DEBIT_PIN
	txn_end
	tell "The result (amounts in fen; fee: debit cards pay 0.50 %, capped at 20.00 CNY):"
	result_of $1
	grep -q '^result  *approved' $run/$1.out || failed $1 "$(cat $run/$1.out)"
}

say "paycard demo: a card payment terminal in a virtual machine"
tell "Linux (Debian's kernel, in QEMU) sees a USB card reader: the reader"
tell "emulator plays it through FunctionFS on dummy_hcd, our driver"
tell "paycard_usb binds to it and serves /dev/paycard0."
tell "paycardd drives the reader and talks ISO 8583 to the acquirer, here"
tell "paycard-hostsim on 127.0.0.1 (terminal $TID, merchant $MID)."

say "1. The terminal starts and signs in to the acquirer (0800/0810)"
tell "paycardd takes the master key from its key store, receives the working"
tell "keys (PIN key, MAC key) encrypted under it and checks their check values."
world_start || { failed sign-in "$(cat $run/why)"; exit 0; }
cashier status
paycardctl status | grep -E 'TerminalId|MerchantId|SignedIn|Batch|HostReach|Reader' | indent

say "2. Chip sale of 12.34 CNY with PIN"
tell "The cashier asks for 12.34 CNY; paycardctl waits for the card."
cashier sale $READER 12.34
txn_start chip sale $READER 12.34
await chip 'state: waiting-card'
sleep 1
tell "The customer inserts a UnionPay chip card (a virtual EMV card that computes"
tell "its cryptogram from its issuer key; the acquirer checks it)."
emu insert $VCARD_PROFILE
if ! await chip 'Enter the PIN' 30; then
	sleep 1
	tell "paycardd could not run the chip sale (see the screen above): the card"
	tell "is removed and the cashier cancels; the swipe sales below show the rest."
	emu remove
	paycardctl cancel $READER >/dev/null 2>&1
	txn_end
	failed chip-sale "no PIN prompt within 30 s"
else
	tell "The customer types the PIN on the reader's keypad; only paycardd sees the"
	tell "digits (it encrypts the PIN block under the PIN key), the screen sees stars."
	type_pin $VCARD_PIN
	await chip 'Approved\|Declined\|reversed\|remove the card' 60
	sleep 0.5
	tell "The customer takes the card back."
	emu remove
	txn_end
	tell "The result (card_cryptogram TC: the card checked the issuer's answer and"
	tell "confirmed; amounts in fen):"
	result_of chip
	if grep -q '^result  *approved' $run/chip.out; then
		tell "The receipt:"
		paycardctl receipt "$(field journal_id $run/chip.out)" | indent
	else
		failed chip-sale "$(cat $run/chip.out)"
	fi
fi

say "3. Swipe sale: the cashier types 65.78 CNY instead of 56.78"
swipe_sale mistake 65.78

say "4. The supervisor voids the mistaken sale"
stan=$(field stan $run/mistake.out)
tell "Void of voucher $stan: the customer swipes the same card (no PIN for a void)."
cashier void $READER "$stan"
txn_start void void $READER "$stan"
await void 'state: waiting-card'
sleep 1
emu swipe - "$(track2 $DEBIT)" -
txn_end
result_of void
grep -q '^result  *approved' $run/void.out || failed void "$(cat $run/void.out)"

say "5. Swipe sale of the right amount, 56.78 CNY, and its receipt"
swipe_sale swipe 56.78
tell "The receipt:"
paycardctl receipt "$(field journal_id $run/swipe.out)" | indent

say "6. End of the day: settlement (0500)"
tell "paycardd sends the batch totals; the acquirer compares them with its own."
cashier settle
paycardctl settle >$run/settle.out 2>&1
indent $run/settle.out
grep -q 'balanced with the acquirer: true' $run/settle.out ||
	failed settlement "not balanced"

say "7. The journal (masked card numbers only; PIN and track data never stored)"
cashier journal
paycardctl journal 2>&1 | indent
world_stop
say "end of the demo"
