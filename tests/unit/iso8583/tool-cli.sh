#!/bin/bash
# paycard-tool iso8583/tlv commands: output and exit status.  The sale frame
# is the hand-built one of sale_frame.h (bytes explained there).
#   tool-cli.sh PAYCARD-TOOL
set -u
tool=$1
n=0
t() {	# NAME EXPECTED-STATUS GREP-PATTERN -- COMMAND...
	local name=$1 want=$2 pat=$3; shift 4
	out=$("$@" 2>&1); rc=$?
	if [ $rc -eq "$want" ] && grep -qE -- "$pat" <<<"$out"; then
		echo "PASS $name"
	else
		echo "FAIL $name (status $rc): $out"
	fi
}
# the hand-built frame of sale_frame.h, piece by piece
sale="0079"					# length 121
sale+=" 6000030000 603100000000"		# TPDU, header
sale+=" 0200 702404C020C09811"			# MTI, bitmap
sale+=" 19 6222021234567890123 0"		# f2 LLVAR 19 digits + pad 0
sale+=" 000000 000000001234 000123 2512"	# f3 f4 f11 f14
sale+=" 0210 00 12"				# f22 "021" + pad, f25, f26
sale+=" 27 6222021234567890123 D 2512101 0"	# f35 LLVAR 27, '=' as D
sale+=" 3132333435363738"			# f41 "12345678"
sale+=" 313233343536373839303132333435"	# f42 "123456789012345"
sale+=" 313536 0102030405060708 2600000000000000"	# f49 f52 f53
sale+=" 0008 22000001 A1A2A3A4A5A6A7A8"		# f60 LLLVAR 8, f64
sale=${sale// /}

t "decode prints MTI and bitmap" 0 '^bitmap  702404C020C09811$' -- "$tool" iso8583 decode "$sale"
t "decode masks the PAN" 0 '622202\*{9}0123' -- "$tool" iso8583 decode "$sale"
t "decode hides track 2" 0 'track 2 data +\[hidden 27 characters\]' -- "$tool" iso8583 decode "$sale"
if "$tool" iso8583 decode "$sale" | grep -qE '6222021234567890123|2512101|0102030405060708'; then
	echo "FAIL decode leaks a secret"
else
	echo "PASS decode leaks no secret"
fi
t "decode --json" 0 '"fields":\[\{"field":2,' -- "$tool" iso8583 decode --json "$sale"
t "decode with spaces in HEX" 0 '^mti     0200$' -- "$tool" iso8583 decode "${sale:0:20}" "${sale:20}"
# f22 "021" padded with F instead of 0: decoded, and the variant reported
t "decode reports a pad F" 0 'POS entry mode +021 +\(pad nibble F\)' -- "$tool" iso8583 decode "${sale/25120210/2512021F}"
t "decode truncated frame" 1 'length prefix disagrees' -- "$tool" iso8583 decode "${sale:0:100}"
t "decode wrong dialect" 1 'ascii:' -- "$tool" iso8583 decode --dialect ascii "$sale"
t "decode not hex" 1 'not hex' -- "$tool" iso8583 decode 00zz
t "unknown dialect" 2 'unknown dialect' -- "$tool" iso8583 decode --dialect visa "$sale"
t "encode rebuilds the frame" 0 "^$sale\$" -- "$tool" iso8583 encode 0200 \
	2=6222021234567890123 3=000000 4=000000001234 11=000123 14=2512 22=021 \
	25=00 26=12 35=6222021234567890123=2512101 41=12345678 \
	42=123456789012345 49=156 52=0102030405060708 53=2600000000000000 \
	60=22000001 64=A1A2A3A4A5A6A7A8
t "encode rejects a bad value" 1 'non-digit' -- "$tool" iso8583 encode 0200 3=00000A
t "encode rejects an unknown field" 1 'expected FIELD=VALUE' -- "$tool" iso8583 encode 0200 5=1
t "tlv decode DESIGN vector" 0 '^  82 \(2 bytes\): 5900$' -- "$tool" tlv decode 701A9F390105571040123456789095D2512201197339300F82025900
t "tlv decode hides tag 57" 0 '57 \(16 bytes\): \[hidden\]' -- "$tool" tlv decode 701A9F390105571040123456789095D2512201197339300F82025900
t "tlv decode long form" 0 '^9C \(1 bytes\): FF$' -- "$tool" tlv decode 9C8400000001FF
t "tlv decode indefinite" 1 'indefinite' -- "$tool" tlv decode 9C8001FF
t "usage" 2 'usage' -- "$tool" iso8583 frobnicate
