#!/bin/bash
# ISO 8583 interoperability with an implementation nobody here wrote:
# Wireshark's dissector (Debian's tshark).  Frames built by our encoder
# travel over loopback TCP, tshark captures them, and its decoding of MTI,
# bitmap and the leading fields must equal the values we put in.
#
# What we feed it: the dissector knows a 2-byte length followed directly by
# the MTI; it has no TPDU/header option.  So the frames use the "cup-bare"
# dialect: the UnionPay field table and encodings (BCD digits, BCD lengths,
# binary bitmap and binary fields) without the 11 bytes of TPDU and header,
# which carry no ISO 8583 data.  Odd digit counts are a known convention
# difference: the dissector reads them right-aligned (pad nibble first),
# UnionPay writes them left-aligned (pad nibble last).  The last message
# checks exactly that: our 19-digit PAN, read with the dissector's rule,
# must come out shifted by one nibble with our trailing 0 pad at the end.
#
#   tshark-interop.sh PAYCARD-TOOL
# Prints PASS/FAIL lines.
set -u
tool=$1
work=$(mktemp -d)
tshark_pid=
cleanup() {
	[ -n "$tshark_pid" ] && kill "$tshark_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL $*"; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# Requests and responses: values chosen here, not taken from the encoder.
sale=$("$tool" iso8583 encode --dialect cup-bare 0200 \
	2=6222021234567890 3=000000 4=000000012345 11=000321 22=021 25=00 \
	41=TERM0001 42=898100012345678 49=156 60=22000001 \
	64=1122334455667788) || fail "encode sale"
resp=$("$tool" iso8583 encode --dialect cup-bare 0210 \
	2=6222021234567890 3=000000 4=000000012345 11=000321 \
	37=123456789012 38=AB1234 39=00 41=TERM0001 42=898100012345678 \
	64=8877665544332211) || fail "encode response"
signin=$("$tool" iso8583 encode --dialect cup-bare 0800 \
	11=000001 41=TERM0001 42=898100012345678 60=0000000100) || fail "encode sign-in"
preauth=$("$tool" iso8583 encode --dialect cup-bare 0100 \
	2=6222021234567890123 3=030000 4=000000050000 11=000322) || fail "encode pre-auth"

# A real UnionPay 0200 (tests/conformance/real/, its source named there),
# in the cup-bare form: the body after the 11 bytes of TPDU and header,
# behind a new length.
real=$(python3 - "$(dirname "$0")/../../conformance/real/csdn-maxwoods-0200-quickpass-sale.txt" <<'PY'
import sys
frame = "".join(l.split(None, 1)[1].replace(" ", "") for l in open(sys.argv[1], encoding="utf-8")
                if l.startswith("hex "))
body = bytes.fromhex(frame)[13:]
print((len(body).to_bytes(2, "big") + body).hex())
PY
) || fail "real message"

tshark -i lo -f "tcp port $port" -w "$work/cap.pcapng" -q 2>"$work/tshark.err" &
tshark_pid=$!
for _ in $(seq 100); do grep -q 'Capturing on' "$work/tshark.err" && break; sleep 0.1; done
grep -q 'Capturing on' "$work/tshark.err" || fail "tshark did not start: $(cat "$work/tshark.err")"

# One connection: the terminal sends sale and sign-in, the host answers the
# sale with the 0210.
python3 - "$port" "$sale" "$resp" "$signin" "$preauth" "$real" <<'PY' || fail "loopback exchange"
import socket, sys, threading, time
port, sale, resp, signin, preauth, real = int(sys.argv[1]), *map(bytes.fromhex, sys.argv[2:])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(1)
def recv_frame(s):
    head = s.recv(2, socket.MSG_WAITALL)
    return head + s.recv(int.from_bytes(head, "big"), socket.MSG_WAITALL)
def host():
    c, _ = srv.accept()
    assert recv_frame(c) == sale
    c.sendall(resp)
    assert recv_frame(c) == signin
    assert recv_frame(c) == preauth
    assert recv_frame(c) == real
    c.close()
t = threading.Thread(target=host)
t.start()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(sale)
assert recv_frame(s) == resp
s.sendall(signin)
s.sendall(preauth)
time.sleep(0.2)   # its own segment: one PDU per line of tshark's output
s.sendall(real)
t.join()
s.close()
PY
sleep 0.5
kill -INT "$tshark_pid"; wait "$tshark_pid" 2>/dev/null; tshark_pid=

tshark -r "$work/cap.pcapng" -d "tcp.port==$port,iso8583" \
	-o 'iso8583.len_endian:Big endian' \
	-o 'iso8583.charset:Digits represented in nibbles' \
	-o 'iso8583.binencode:Bin data not encoded' \
	-Y iso8583 -T fields -E separator='|' \
	-e iso8583.len -e iso8583.mti -e iso8583.map1 -e iso8583.bit2 \
	-e iso8583.bit3 -e iso8583.bit4 -e iso8583.bit11 -e iso8583.bit39 \
	-e iso8583.bit41 -e iso8583.bit42 >"$work/decoded" 2>"$work/tshark2.err" \
	|| fail "tshark read: $(cat "$work/tshark2.err")"

check() {	# NAME EXPECTED-LINE ACTUAL-LINE
	# tshark prints the bitmap in lower case
	if [ "${2,,}" = "${3,,}" ]; then echo "PASS $1"; else echo "FAIL $1: expected '$2' got '$3'"; fi
}
mapfile -t lines <"$work/decoded"
[ ${#lines[@]} -eq 5 ] || fail "tshark decoded ${#lines[@]} ISO 8583 PDUs, expected 5: $(cat "$work/decoded")"

# Bitmaps derived by hand (field k = byte (k-1)/8, bit 0x80 >> (k-1)%8):
# 0200: f2 40|f3 20|f4 10 = 70; f11 20; f22 04; f25 80; (33-40) 00;
#       f41 80|f42 40 = C0; f49 80; f60 10|f64 01 = 11 -> 7020048000C08011
# 0210: 70; f11 20; 00; 00; f37 08|f38 04|f39 02 = 0E; C0; 00; f64 01
#       -> 702000000EC00001
# 0800: 00; f11 20; 00; 00; 00; C0; 00; f60 10 -> 00200000 00C00010
# Lengths: 0200 body = MTI 2 + map 8 + f2 9 + f3 3 + f4 6 + f11 3 + f22 2 +
# f25 1 + f41 8 + f42 15 + f49 3 + f60 2+4 + f64 8 = 74;
# 0210 = 2+8+9+3+6+3+12+6+2+8+15+8 = 82; 0800 = 2+8+3+8+15+2+5 = 43.
check "0200 decoded by tshark" \
	"74|0200|7020048000C08011|6222021234567890|000000|000000012345|000321||TERM0001|898100012345678" \
	"${lines[0]}"
check "0210 decoded by tshark" \
	"82|0210|702000000EC00001|6222021234567890|000000|000000012345|000321|00|TERM0001|898100012345678" \
	"${lines[1]}"
check "0800 decoded by tshark" \
	"43|0800|0020000000C00010||||000001||TERM0001|898100012345678" \
	"${lines[2]}"
# 0100: bitmap 70 20 ...; length 2 + 8 + f2 (1 + 10) + 3 + 6 + 3 = 33.
# Wire f2: 19 | 62 22 02 12 34 56 78 90 12 30 (left-aligned, pad 0 last);
# read right-aligned from the second nibble: 2220212345678901230.
check "0100 odd-length PAN, nibble convention" \
	"33|0100|7020000000000000|2220212345678901230|030000|000000050000|000322|||" \
	"${lines[3]}"
# The real 0200: 428 bytes - 2 - 11 = 415; the values its source states
# (tests/conformance/real/csdn-maxwoods-0200-quickpass-sale.txt) up to
# field 11.  tshark stops before 41/42: its table reads the fields after
# 22 (left-aligned n3 here, right-aligned for tshark) differently, so
# those two are not compared.
IFS='|' read -r -a real_fields <<<"${lines[4]}"
check "real UnionPay 0200 (cup-bare) decoded by tshark" \
	"415|0200|702406C020C19A31|6224242900000113|000000|000000000001|000403" \
	"$(IFS='|'; echo "${real_fields[*]:0:7}")"
