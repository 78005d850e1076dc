#!/bin/bash
# paycard-tool on the public vectors (DESIGN.md, FIPS 81, X9.9, X9.24,
# TR-31:2018 annex A, GB/T 32907) and on bad input: every bad input must
# give exactly one line on stderr and exit 1 or 2, never a crash.
#
#   tests/unit/crypto/test_tool.sh PATH-TO-paycard-tool
set -u
tool=$1
pass=0 fail=0

# expect NAME EXPECTED-STDOUT ARGS...
expect() {
	local name=$1 want=$2 got
	shift 2
	got=$("$tool" "$@" 2>/dev/null)
	if [ "$?" -eq 0 ] && [ "$got" = "$want" ]; then
		echo "PASS $name"; pass=$((pass + 1))
	else
		echo "FAIL $name: got '$got', want '$want'"; fail=$((fail + 1))
	fi
}

# reject NAME ARGS...: status 1 or 2 and exactly one line on stderr
reject() {
	local name=$1 err rc lines
	shift
	err=$("$tool" "$@" 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s\n' "$err" | grep -c .)
	if { [ $rc -eq 1 ] || [ $rc -eq 2 ]; } && [ "$lines" -eq 1 ]; then
		echo "PASS $name"; pass=$((pass + 1))
	else
		echo "FAIL $name: status $rc, stderr: $err"; fail=$((fail + 1))
	fi
}

hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | tr a-f A-F; }

# ---- check values ----
expect kcv-cup 0547DB3E kcv --key C24A8FB57AA20123 --method cup
expect kcv-classic-tr31 CB9DEA kcv --key F039121BEC83D26B169BDCD5B22AAF8F
expect kcv-cmac-aes 08793E kcv --key 3F419E1CB7079442AA37474C2EFBF8B8 \
	--method cmac --alg aes
expect kcv-json '{"kcv":"0547DB3E","method":"cup","alg":"tdes"}' \
	--json kcv --key C24A8FB57AA20123 --method cup

# ---- MACs ----
expect mac-cup-ecb 4539423038433239 mac --alg cup-ecb \
	--key 0123456789ABCDEFFEDCBA9876543210 \
	--data "$(hex '0200 Sale of 12.34 CNY at terminal 10000159')"
expect mac-cup-ecb-single 4432393832444235 mac --alg cup-ecb \
	--key 1C587F1C13924FEF --data "$(hex 01234567890)"
expect mac-x919 A1C72E74EA3FA9B6 mac --alg iso9797-1-alg3 \
	--key 0123456789ABCDEFFEDCBA9876543210 \
	--data "$(hex 'Now is the time for all ')"
expect mac-x99-alg1 F1D30F6849312CA4 mac --alg iso9797-1-alg1 \
	--key 0123456789ABCDEF --data "$(hex '7654321 Now is the time for ')"
expect mac-cmac-tdes-empty 79CE52A7F786A960 mac --alg cmac \
	--key 0123456789ABCDEF23456789ABCDEF01 --data ""
expect mac-cmac-aes 070A16B46B4D4144F79BDD9DD04A287C mac --alg cmac \
	--cipher aes --key 2B7E151628AED2A6ABF7158809CF4F3C \
	--data 6BC1BEE22E409F96E93D7E117393172A
expect mac-verify-ok verified:\ yes mac --alg cup-ecb \
	--key 1C587F1C13924FEF --data "$(hex 01234567890)" \
	--verify 4432393832444235
reject mac-verify-bad mac --alg cup-ecb --key 1C587F1C13924FEF \
	--data "$(hex 01234567890)" --verify 4432393832444236

# ---- PIN blocks ----
expect pin-iso0 041274EDCBA9876F pinblock encode --format 0 --pin 1234 \
	--pan 4012345678909
expect pin-iso2 241234FFFFFFFFFF pinblock encode --format 2 --pin 1234
expect pin-iso0-dukpt 1B9C1845EB993A7A pinblock encode --format 0 \
	--pin 1234 --pan 4012345678909 \
	--key 042666B49184CF5C68DE9628D0397B36
expect pin-iso4-decrypt 1234 pinblock decode --format 4 \
	--key AF8CB133A78F8DC2D1359F18527593FB \
	--block A912150391AB65A67E52883D81CE2D15 --pan 4111111111111111
expect pin-iso0-decode 1234 pinblock decode --format 0 \
	--block 041274EDCBA9876F --pan 4012345678909

# ---- DUKPT (X9.24-1 A.4, X9.24-3 / DESIGN.md) ----
# PIN key of transaction 1: current key 042666B49184CFA3 68DE9628D0397BC9
# XOR the PIN variant 00..FF on each half.
expect dukpt-tdes-pin 042666B49184CF5C68DE9628D0397B36 dukpt derive \
	--bdk 0123456789ABCDEFFEDCBA9876543210 --ksn FFFF9876543210E00001 \
	--usage pin
expect dukpt-tdes-ipek 6AC292FAA1315B4D858AB3A3D7D5933A dukpt ipek \
	--bdk 0123456789ABCDEFFEDCBA9876543210 --ksn FFFF9876543210E00000
expect dukpt-aes-pin AF8CB133A78F8DC2D1359F18527593FB dukpt derive \
	--bdk FEDCBA9876543210F1F1F1F1F1F1F1F1 \
	--ksn 123456789012345600000001 --aes128 --usage pin
expect dukpt-aes-ik 1273671EA26AC29AFA4D1084127652A1 dukpt ipek \
	--bdk FEDCBA9876543210F1F1F1F1F1F1F1F1 --ksn 123456789012345600000000

# ---- TR-31 (TR-31:2018 A.7.2.1, A.7.4) ----
expect tr31-unwrap-a "key: F039121BEC83D26B169BDCD5B22AAF8F
kcv: CB9DEA
version: A
usage: P0
algorithm: T
mode: E
key_version: 00
exportability: E" tr31 unwrap --kbpk 89E88CF7931444F334BD7547FC3F380C \
	--block A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701
d_block=D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34
d_kbpk=88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6
expect tr31-unwrap-d-json \
	'{"key":"3F419E1CB7079442AA37474C2EFBF8B8","kcv":"08793E","version":"D","usage":"P0","algorithm":"A","mode":"E","key_version":"00","exportability":"E"}' \
	--json tr31 unwrap --kbpk $d_kbpk --block $d_block
block=$("$tool" tr31 wrap --kbpk $d_kbpk --key 0123456789ABCDEFFEDCBA9876543210 \
	--version D --usage K0 --algorithm T --mode B 2>/dev/null)
# 08D7B4: the widely published KCV of the test key 0123..3210
expect tr31-wrap-unwrap-d "key: 0123456789ABCDEFFEDCBA9876543210
kcv: 08D7B4
version: D
usage: K0
algorithm: T
mode: B
key_version: 00
exportability: E" tr31 unwrap --kbpk $d_kbpk --block "$block"
reject tr31-bad-mac tr31 unwrap --kbpk $d_kbpk --block "${d_block%?}5"
reject tr31-truncated tr31 unwrap --kbpk $d_kbpk --block "${d_block:0:100}"
reject tr31-wrong-kbpk-length tr31 unwrap --kbpk 0011 --block $d_block
reject tr31-wrap-bad-usage tr31 wrap --kbpk $d_kbpk --key 00112233 \
	--version D --usage ZZ --algorithm T --mode B

# ---- ciphers ----
expect sm4-encrypt 681EDF34D206965E86B3E94F536E4246 encrypt --alg sm4 \
	--key 0123456789ABCDEFFEDCBA9876543210 \
	--data 0123456789ABCDEFFEDCBA9876543210
expect sm4-decrypt 0123456789ABCDEFFEDCBA9876543210 decrypt --alg sm4 \
	--key 0123456789ABCDEFFEDCBA9876543210 \
	--data 681EDF34D206965E86B3E94F536E4246
expect des-fips81-cbc E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6 \
	encrypt --alg tdes --key 0123456789ABCDEF --iv 1234567890ABCDEF \
	--data "$(hex 'Now is the time for all ')"

# ---- bad input ----
reject odd-hex kcv --key 123
reject non-hex kcv --key 00ZZ
reject wrong-key-length kcv --key 0011223344
reject missing-key mac --alg cup-ecb --data 00
reject unknown-mac mac --alg md5 --key 00 --data 00
reject unknown-option kcv --key 0011223344556677 --colour red
reject missing-value kcv --key
reject pin-too-short pinblock encode --format 0 --pin 123 --pan 4012345678909
reject pin-not-digits pinblock encode --format 0 --pin 12a4 --pan 4012345678909
reject pan-missing pinblock encode --format 0 --pin 1234
reject pinblock-format-9 pinblock encode --format 9 --pin 1234
reject pinblock-bad-fill pinblock decode --format 2 --block 241234FFFFFFFFFE
reject ksn-short dukpt derive --bdk 0123456789ABCDEFFEDCBA9876543210 \
	--ksn FFFF98 --usage pin
reject ksn-counter-zero dukpt derive --bdk 0123456789ABCDEFFEDCBA9876543210 \
	--ksn FFFF9876543210E00000 --usage pin
reject ksn-exhausted-bits dukpt derive \
	--bdk 0123456789ABCDEFFEDCBA9876543210 --ksn FFFF9876543210E007FF \
	--usage pin
reject data-not-block encrypt --alg aes \
	--key 000102030405060708090A0B0C0D0E0F --data 00112233
reject iv-wrong-length encrypt --alg aes \
	--key 000102030405060708090A0B0C0D0E0F \
	--data 000102030405060708090A0B0C0D0E0F --iv 00
reject unknown-command frobnicate
reject no-subcommand tr31
err_json=$("$tool" --json kcv --key 123 2>/dev/null)
case $err_json in
'{"error":"BAD_INPUT",'*) echo "PASS json-error"; pass=$((pass + 1)) ;;
*) echo "FAIL json-error: $err_json"; fail=$((fail + 1)) ;;
esac

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
